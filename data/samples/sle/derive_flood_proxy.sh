#!/usr/bin/env bash
# Writes flood_proxy.tif: an ILLUSTRATIVE coastal flood "depth proxy" for Sierra Leone, derived from the
# OpenStreetMap land outline only (no elevation, no flood model). See README.md, "flood_proxy.tif".
#
#   depth proxy (m) = max(0, 2 - 0.5 * d), d = distance in km from the land cell's centre to the nearest
#   sea cell's centre (8-neighbour chamfer distance on the grid), so the proxy is >= 0.5 m within 3 km of
#   the sea. Sea cells and cells outside the outline are nodata.
#
# Grid: EPSG:32628 (UTM zone 28N), 250 m cells: another CRS and grid than population.tif (EPSG:4326,
# ~100 m), so that runs exercise the reprojection of hazard rasters.
# "Sea" = outside the outline within the box lon -14.0..-11.5, lat 6.3..9.0 (south-west of the
# borders with Guinea and Liberia, which are land, not sea).
# Needs: GDAL command-line tools (ogr2ogr, gdal_rasterize, gdal_translate) and python3 (standard library).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/box.geojson" <<'JSON'
{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
"coordinates":[[[-14.0,6.3],[-11.5,6.3],[-11.5,9.0],[-14.0,9.0],[-14.0,6.3]]]}}]}
JSON
ogr2ogr -q -t_srs EPSG:32628 -makevalid "$tmp/land.gpkg" "$here/outline.geojson" -nln land
ogr2ogr -q -s_srs EPSG:4326 -t_srs EPSG:32628 "$tmp/box.gpkg" "$tmp/box.geojson" -nln box

# Land extent plus 5 km, snapped to the 250 m grid.
read -r xmin xmax ymin ymax < <(ogrinfo -so -al "$tmp/land.gpkg" | python3 -c '
import re, sys, math
m = re.search(r"Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)", sys.stdin.read())
x0, y0, x1, y1 = (float(v) for v in m.groups())
s = 250.0
print(math.floor((x0 - 5000) / s) * s, math.ceil((x1 + 5000) / s) * s, math.floor((y0 - 5000) / s) * s, math.ceil((y1 + 5000) / s) * s)')

# 2 = sea, 1 = land, 0 = neither (neighbouring countries).
gdal_rasterize -q -burn 2 -init 0 -ot Byte -te "$xmin" "$ymin" "$xmax" "$ymax" -tr 250 250 "$tmp/box.gpkg" "$tmp/mask.tif"
gdal_rasterize -q -burn 1 "$tmp/land.gpkg" "$tmp/mask.tif"
gdal_translate -q -of AAIGrid "$tmp/mask.tif" "$tmp/mask.asc"

python3 - "$tmp/mask.asc" "$tmp/depth.asc" <<'PY'
import math, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src) as f:
    header = [next(f) for _ in range(5)]
    rows = [[int(v) for v in line.split()] for line in f if line.strip()]
h, w = len(rows), len(rows[0])
cell = float(dict(l.split() for l in header)["cellsize"])
INF = float("inf")
d = [[0.0 if rows[r][c] == 2 else INF for c in range(w)] for r in range(h)]
a, b = 1.0, math.sqrt(2.0)
for r in range(h):  # forward pass
    dr, up = d[r], d[r - 1] if r else None
    for c in range(w):
        v = dr[c]
        if c and dr[c - 1] + a < v: v = dr[c - 1] + a
        if up is not None:
            if up[c] + a < v: v = up[c] + a
            if c and up[c - 1] + b < v: v = up[c - 1] + b
            if c + 1 < w and up[c + 1] + b < v: v = up[c + 1] + b
        dr[c] = v
for r in range(h - 1, -1, -1):  # backward pass
    dr, dn = d[r], d[r + 1] if r + 1 < h else None
    for c in range(w - 1, -1, -1):
        v = dr[c]
        if c + 1 < w and dr[c + 1] + a < v: v = dr[c + 1] + a
        if dn is not None:
            if dn[c] + a < v: v = dn[c] + a
            if c + 1 < w and dn[c + 1] + b < v: v = dn[c + 1] + b
            if c and dn[c - 1] + b < v: v = dn[c - 1] + b
        dr[c] = v
with open(dst, "w") as f:
    f.writelines(header)
    f.write("NODATA_value -9999\n")
    for r in range(h):
        out = []
        for c in range(w):
            if rows[r][c] != 1:
                out.append("-9999")
            else:
                km = d[r][c] * cell / 1000.0
                out.append("%.2f" % max(0.0, 2.0 - 0.5 * km))
        f.write(" ".join(out) + "\n")
PY

gdal_translate -q -a_srs EPSG:32628 -ot Float32 -a_nodata -9999 -co COMPRESS=DEFLATE -co PREDICTOR=3 -co TILED=YES \
  -mo "DESCRIPTION=ILLUSTRATIVE coastal flood depth proxy (m) = max(0, 2 - 0.5 x km to the sea), derived from the OSM outline; not a flood model" \
  "$tmp/depth.asc" "$here/flood_proxy.tif"
echo "wrote $here/flood_proxy.tif"
