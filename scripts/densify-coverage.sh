#!/usr/bin/env bash
# A vertex-heavy variant of a benchmark folder: the same coverage polygons with extra vertices on
# their edges (ogr2ogr -segmentize), so the exact answer (ref_exact.csv) is unchanged while the number
# of vertices grows. The population raster and admin units are linked, not copied.
#   scripts/densify-coverage.sh SRC_DIR DST_DIR MAX_SEGMENT   (MAX_SEGMENT in the layer's units, degrees)
set -euo pipefail
src=$(cd "$1" && pwd); dst=$2; step=$3
command -v ogr2ogr >/dev/null || { echo "needs ogr2ogr: apt-get install gdal-bin" >&2; exit 1; }
mkdir -p "$dst"
for f in "$src"/*; do
  case "$(basename "$f")" in
    coverage.gpkg) ;;
    *.yaml|*.csv|*.json) cp -f "$f" "$dst/" ;;   # small: copied, so the folder stands on its own
    *) ln -sf "$f" "$dst/" ;;                     # big rasters and admin units: linked
  esac
done
rm -f "$dst/coverage.gpkg"
for layer in $(ogrinfo -q -so "$src/coverage.gpkg" | awk -F'[: ]+' '/^[0-9]+:/ {print $2}'); do
  ogr2ogr -q -f GPKG -update -append "$dst/coverage.gpkg" "$src/coverage.gpkg" "$layer" -nln "$layer" -segmentize "$step"
done
# vertices per layer
for layer in $(ogrinfo -q -so "$dst/coverage.gpkg" | awk -F'[: ]+' '/^[0-9]+:/ {print $2}'); do
  n=$(ogrinfo -q "$dst/coverage.gpkg" -sql "SELECT SUM(ST_NPoints(geom)) AS n FROM $layer" -dialect SQLite | awk -F'= ' '/n \(/ {print $2}')
  echo "$layer: $n vertices"
done
