#!/usr/bin/env python3
"""Derive the ILLUSTRATIVE mobile coverage of the Sierra Leone sample (coverage.gpkg).

THIS IS NOT OPERATOR DATA. No public cell-site list or coverage map exists for Sierra Leone,
so coverage is modelled with GSMA's disc rule around *assumed* cell sites for three fictitious
operators (OperatorA, OperatorB, OperatorC). See README.md in this folder for the rule in words.

Run from the repository root (reads only files in this folder, writes coverage.gpkg next to it):

    /usr/bin/python3 data/samples/sle/derive_coverage.py

Needs Python 3 with GDAL (osgeo), numpy and shapely 1.8 or 2.x (Debian: python3-gdal
python3-numpy python3-shapely). Deterministic: there is no randomness at all (no seeds needed:
site patterns are fixed golden-angle spirals, inputs are processed in a fixed order) and the
GeoPackage timestamp is pinned with OGR_CURRENT_DATE, so every run writes the same file for the
same library versions.

Rule (all numbers are the constants below):
  * Radii (GSMA disc rule): 2G 12 km, 3G 4 km, 4G 4 km (5G 0.5 km, not used).
  * Each technology layer is built from its own set of assumed sites (urban + rural).
  * Urban sites: every GeoNames place in places.csv whose population is at least
    URBAN_MIN_PLACE_POP[operator][tech] gets max(1, ceil(population / PEOPLE_PER_URBAN_SITE))
    sites, laid out on a golden-angle (sunflower) spiral around the place centre with outer
    radius URBAN_SPREAD_KM * sqrt(number of sites), rotated by a fixed angle per operator.
  * Rural sites: the population raster (nodata excluded) is summed into square blocks of
    AGG_FACTOR[tech] pixels (2G: 120 px = 0.1 deg, about 11 km; 3G/4G: 60 px = 0.05 deg, about
    5.5 km), anchored at the raster origin (OperatorB: shifted by half a block). Each block whose
    population exceeds RURAL_THRESHOLD[operator][tech] * PROVINCE_FACTOR[operator][province]
    gets one site at its population-weighted centroid.
  * OperatorB has no 4G sites (urban or rural) in the districts B_NO_4G_DISTRICTS.
  * OperatorC is urban only (places >= 10,000 people), no rural sites.
  * Discs: 64 vertices, computed on the WGS 84 ellipsoid with the local radii of curvature
    (meridional M and prime-vertical N, evaluated at the mid-latitude between centre and
    vertex); vertices rounded to 1e-7 deg. Unioned per operator and technology with shapely;
    nothing is clipped (coverage may reach into the sea or Guinea/Liberia).
  * The printed percentages use the cell-centre rule on population.tif (approximate).
"""

import csv
import math
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr
from shapely import wkb as shapely_wkb
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.ops import unary_union
from shapely.prepared import prep
from shapely.validation import explain_validity

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
POPULATION = os.path.join(HERE, "population.tif")
ADMIN = os.path.join(HERE, "admin.gpkg")
PLACES = os.path.join(HERE, "places.csv")
OUTPUT = os.path.join(HERE, "coverage.gpkg")

# --- the rule -------------------------------------------------------------------------------
RADIUS_M = {"2G": 12_000.0, "3G": 4_000.0, "4G": 4_000.0}  # GSMA disc rule (5G would be 500 m)
TECHS = ("2G", "3G", "4G")
DISC_VERTICES = 64
PEOPLE_PER_URBAN_SITE = 20_000
URBAN_SPREAD_KM = 1.0          # outer radius of the site spiral = 1 km * sqrt(number of sites)
# Rural aggregate cell size in 3 arc-sec pixels, per technology, matched to the disc radius:
# 120 px = 0.1 deg (~11 km) for 2G (12 km discs), 60 px = 0.05 deg (~5.5 km) for 3G/4G (4 km discs).
AGG_FACTOR = {"2G": 120, "3G": 60, "4G": 60}
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

OPERATORS = ("OperatorA", "OperatorB", "OperatorC")
# Fixed rotation of each operator's urban spiral so operators do not share masts.
ROTATION_DEG = {"OperatorA": 0.0, "OperatorB": 120.0, "OperatorC": 240.0}
# Rural aggregate grid shifted by half a cell (so operators choose different rural sites).
GRID_HALF_SHIFT = {"OperatorA": False, "OperatorB": True, "OperatorC": False}
# Rural threshold: people in one aggregate cell (2G: 0.1 deg cells, 3G/4G: 0.05 deg cells) above which
# the operator puts a site of that technology at the cell's population-weighted centroid;
# None = no rural sites for that technology.
RURAL_THRESHOLD = {
    "OperatorA": {"2G": 7_000, "3G": 2_000, "4G": 3_500},
    "OperatorB": {"2G": 15_000, "3G": 6_000, "4G": 12_000},
    "OperatorC": {"2G": None, "3G": None, "4G": None},
}
# Regional strength: rural thresholds are multiplied by this factor in a province (admin1Pcod,
# the first 4 characters of admin2Pcod): OperatorB is strong in the Eastern province, OperatorA weaker there.
PROVINCE_FACTOR = {"OperatorA": {"SL01": 1.5}, "OperatorB": {"SL01": 0.4}, "OperatorC": {}}
# Minimum GeoNames population of a place for an operator to put urban sites of a technology.
URBAN_MIN_PLACE_POP = {
    "OperatorA": {"2G": 0, "3G": 0, "4G": 0},
    "OperatorB": {"2G": 0, "3G": 0, "4G": 5_000},
    "OperatorC": {"2G": 10_000, "3G": 10_000, "4G": 10_000},
}
# OperatorB: no 4G sites in these districts (admin2Pcod of admin.gpkg, layer district).
B_NO_4G_DISTRICTS = ("SL0101", "SL0203", "SL0302", "SL0304")  # Kailahun, Koinadugu, Bonthe, Pujehun

# GPKG writes the current time into gpkg_contents; pin it for byte-identical output.
FIXED_TIMESTAMP = "2024-01-01T00:00:00.000Z"

# WGS 84
A_WGS84 = 6_378_137.0
F_WGS84 = 1.0 / 298.257223563
E2_WGS84 = F_WGS84 * (2.0 - F_WGS84)


def disc(lon, lat, radius_m, n=DISC_VERTICES):
    """Geodesic circle (closed polygon, counter-clockwise) of radius_m around lon/lat."""
    az = np.arange(n) * (2.0 * math.pi / n)  # azimuth clockwise from north
    north = radius_m * np.cos(az)
    east = radius_m * np.sin(az)
    phi0 = math.radians(lat)
    # radii of curvature evaluated at the mid-latitude between centre and vertex (two fixed-point passes)
    dphi = np.zeros(n)
    for _ in range(2):
        phim = phi0 + dphi / 2.0
        s2 = np.sin(phim) ** 2
        m = A_WGS84 * (1.0 - E2_WGS84) / (1.0 - E2_WGS84 * s2) ** 1.5
        dphi = north / m
    phim = phi0 + dphi / 2.0
    nrad = A_WGS84 / np.sqrt(1.0 - E2_WGS84 * np.sin(phim) ** 2)
    dlam = east / (nrad * np.cos(phim))
    lats = np.degrees(phi0 + dphi)
    lons = lon + np.degrees(dlam)
    # azimuth runs clockwise; reverse for a counter-clockwise exterior ring
    coords = np.round(np.column_stack([lons, lats])[::-1], 7)
    return Polygon(coords)


def offset(lon, lat, east_m, north_m):
    """Point east_m / north_m metres from lon/lat (same local ellipsoidal approximation)."""
    phi = math.radians(lat)
    s2 = math.sin(phi) ** 2
    m = A_WGS84 * (1.0 - E2_WGS84) / (1.0 - E2_WGS84 * s2) ** 1.5
    nrad = A_WGS84 / math.sqrt(1.0 - E2_WGS84 * s2)
    return lon + math.degrees(east_m / (nrad * math.cos(phi))), lat + math.degrees(north_m / m)


def read_population():
    ds = gdal.Open(POPULATION)
    band = ds.GetRasterBand(1)
    arr = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    valid = arr != nodata
    # sanity: WorldPop counts must be >= 0 where valid
    if (arr[valid] < 0).any():
        sys.exit("population.tif has negative values that are not nodata")
    pop = np.where(valid, arr, 0.0)
    return ds, pop, valid


def read_districts():
    ds = ogr.Open(ADMIN)
    out = []
    for f in ds.GetLayerByName("district"):
        g = shapely_wkb.loads(bytes(f.GetGeometryRef().ExportToWkb()))
        out.append((f.GetField("admin2Pcod"), f.GetField("admin2Name"), g, prep(g)))
    out.sort(key=lambda t: t[0])
    return out


def district_of(districts, lon, lat):
    p = Point(lon, lat)
    for code, _, _, pg in districts:
        if pg.contains(p):
            return code
    # outside every polygon (coast, sliver): nearest district
    return min(districts, key=lambda t: (t[2].distance(p), t[0]))[0]


def read_places():
    with open(PLACES, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    places = [
        (int(r["geonameid"]), r["name"], float(r["longitude"]), float(r["latitude"]), int(r["population"]))
        for r in rows
    ]
    places.sort(key=lambda p: p[0])  # fixed order, independent of the CSV order
    return places


def urban_sites(places, districts, operator, tech):
    """(lon, lat, district) of the operator's urban sites for one technology."""
    sites = []
    rot = math.radians(ROTATION_DEG[operator])
    for _, _, lon, lat, pop in places:
        if pop < URBAN_MIN_PLACE_POP[operator][tech]:
            continue
        dist = district_of(districts, lon, lat)
        if operator == "OperatorB" and tech == "4G" and dist in B_NO_4G_DISTRICTS:
            continue
        n = max(1, math.ceil(pop / PEOPLE_PER_URBAN_SITE))
        rmax = URBAN_SPREAD_KM * 1000.0 * math.sqrt(n)
        for k in range(n):
            if n == 1:
                sites.append((lon, lat, dist))
                continue
            r = rmax * math.sqrt((k + 0.5) / n)
            t = rot + k * GOLDEN_ANGLE
            x, y = offset(lon, lat, r * math.sin(t), r * math.cos(t))
            sites.append((x, y, dist))
    return sites


def aggregate_cells(ds, pop, f, shift):
    """Population and population-weighted centroid of each f x f pixel block.

    Blocks start at the raster origin moved up-left by `shift` pixels (0 or f // 2).
    """
    gt = ds.GetGeoTransform()
    rows, cols = pop.shape
    pr, pc = (-(rows + shift)) % f, (-(cols + shift)) % f
    p = np.pad(pop, ((shift, pr), (shift, pc)))
    lon_c = gt[0] + (np.arange(-shift, cols + pc) + 0.5) * gt[1]
    lat_c = gt[3] + (np.arange(-shift, rows + pr) + 0.5) * gt[5]
    R, C = p.shape[0] // f, p.shape[1] // f
    blocks = p.reshape(R, f, C, f)
    total = blocks.sum(axis=(1, 3))
    wlon = (blocks * lon_c.reshape(1, 1, C, f)).sum(axis=(1, 3))
    wlat = (blocks * lat_c.reshape(R, f, 1, 1)).sum(axis=(1, 3))
    cells = []
    for i in range(R):
        for j in range(C):
            if total[i, j] > 0:
                cells.append((total[i, j], wlon[i, j] / total[i, j], wlat[i, j] / total[i, j]))
    return cells


def rural_sites(cells, districts, operator, tech):
    thr = RURAL_THRESHOLD[operator][tech]
    if thr is None:
        return []
    sites = []
    for total, lon, lat in cells:
        dist = district_of(districts, lon, lat)
        if total <= thr * PROVINCE_FACTOR[operator].get(dist[:4], 1.0):
            continue
        if operator == "OperatorB" and tech == "4G" and dist in B_NO_4G_DISTRICTS:
            continue
        sites.append((lon, lat, dist))
    return sites


def num_vertices(geom):
    """Number of stored coordinates (ring closing points included, as in ST_NPoints)."""
    return sum(len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in geom.geoms)


def as_multipolygon(geom):
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    raise ValueError(f"unexpected union result {geom.geom_type}")


def write_gpkg(layers):
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_TIMESTAMP)
    tmp = OUTPUT + ".tmp.gpkg"
    for path in (tmp, tmp + "-journal"):
        if os.path.exists(path):
            os.remove(path)
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(tmp)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    for tech in TECHS:
        lyr = ds.CreateLayer(
            f"coverage_{tech.lower()}", srs, ogr.wkbMultiPolygon,
            options=["SPATIAL_INDEX=YES", "FID=fid", "GEOMETRY_NAME=geom"],
        )
        lyr.CreateField(ogr.FieldDefn("operator", ogr.OFTString))
        lyr.CreateField(ogr.FieldDefn("tech", ogr.OFTString))
        lyr.StartTransaction()
        for op in OPERATORS:
            geom = layers[(op, tech)]
            if geom is None:
                continue
            feat = ogr.Feature(lyr.GetLayerDefn())
            feat.SetField("operator", op)
            feat.SetField("tech", tech)
            feat.SetGeometry(ogr.CreateGeometryFromWkb(geom.wkb))
            lyr.CreateFeature(feat)
        lyr.CommitTransaction()
    ds = None
    os.replace(tmp, OUTPUT)


def rasterize(geom, ds_pop):
    """Cell-centre mask of geom on the population grid (GDAL's default rasterize rule)."""
    rows, cols = ds_pop.RasterYSize, ds_pop.RasterXSize
    mem = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(ds_pop.GetGeoTransform())
    mem.SetProjection(ds_pop.GetProjection())
    if geom is not None and not geom.is_empty:
        vds = ogr.GetDriverByName("Memory").CreateDataSource("")
        lyr = vds.CreateLayer("g", ds_pop.GetSpatialRef(), ogr.wkbMultiPolygon)
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetGeometry(ogr.CreateGeometryFromWkb(geom.wkb))
        lyr.CreateFeature(feat)
        gdal.RasterizeLayer(mem, [1], lyr, burn_values=[1])
    return mem.GetRasterBand(1).ReadAsArray().astype(bool)


def read_back():
    ds = ogr.Open(OUTPUT)
    out = {}
    for tech in TECHS:
        lyr = ds.GetLayerByName(f"coverage_{tech.lower()}")
        for f in lyr:
            g = shapely_wkb.loads(bytes(f.GetGeometryRef().ExportToWkb()))
            out[(f.GetField("operator"), f.GetField("tech"))] = g
    return out


def main():
    ds_pop, pop, valid = read_population()
    national = pop.sum()
    print(f"population.tif: {int(valid.sum()):,} valid cells, total {national:,.2f}")
    districts = read_districts()
    places = read_places()
    print(f"places.csv: {len(places)} places")
    cells = {}
    for op in OPERATORS:
        for tech in TECHS:
            f = AGG_FACTOR[tech]
            shift = f // 2 if GRID_HALF_SHIFT[op] else 0
            if (f, shift) not in cells:
                cells[(f, shift)] = aggregate_cells(ds_pop, pop, f, shift)
                print(f"aggregate cells of {f} x 3 arc-sec = {f * 3 / 3600:.2f} deg, shift {shift} px, "
                      f"with people: {len(cells[(f, shift)])}")

    print("\nAssumed sites (urban + rural = total):")
    layers = {}
    for op in OPERATORS:
        for tech in TECHS:
            u = urban_sites(places, districts, op, tech)
            f = AGG_FACTOR[tech]
            r = rural_sites(cells[(f, f // 2 if GRID_HALF_SHIFT[op] else 0)], districts, op, tech)
            sites = u + r
            print(f"  {op} {tech}: {len(u)} + {len(r)} = {len(sites)}")
            if not sites:
                layers[(op, tech)] = None
                continue
            discs = [disc(lon, lat, RADIUS_M[tech]) for lon, lat, _ in sites]
            geom = as_multipolygon(unary_union(discs))
            if not geom.is_valid:
                sys.exit(f"invalid union for {op} {tech}: {explain_validity(geom)}")
            layers[(op, tech)] = geom

    write_gpkg(layers)
    print(f"\nwrote {os.path.relpath(OUTPUT)} ({os.path.getsize(OUTPUT):,} bytes)")

    # --- check what was written --------------------------------------------------------------
    written = read_back()
    print("\nLayer check (valid, parts, vertices):")
    for tech in TECHS:
        total_v = 0
        for op in OPERATORS:
            g = written.get((op, tech))
            if g is None:
                continue
            nv = num_vertices(g)
            total_v += nv
            print(f"  coverage_{tech.lower()} {op}: valid={g.is_valid} parts={len(g.geoms)} vertices={nv:,}")
        print(f"  coverage_{tech.lower()} total vertices: {total_v:,}")

    # --- approximate coverage, cell-centre rule (the engine's exact overlay will differ a little) ---
    masks = {}
    for op in OPERATORS:
        for tech in TECHS:
            masks[(op, tech)] = rasterize(written.get((op, tech)), ds_pop)

    def at_least(op, level):
        techs = TECHS[TECHS.index(level):]
        m = np.zeros(pop.shape, bool)
        for t in techs:
            m |= masks[(op, t)]
        return m

    print("\nApproximate population coverage (cell-centre rule, % of national total):")
    print(f"  {'':22s}" + "".join(f"{'>=' + lv:>9s}" for lv in TECHS))
    per_op = {}
    for op in OPERATORS:
        per_op[op] = [100.0 * pop[at_least(op, lv)].sum() / national for lv in TECHS]
        print(f"  {op:22s}" + "".join(f"{v:9.1f}" for v in per_op[op]))
    union = []
    for lv in TECHS:
        m = np.zeros(pop.shape, bool)
        for op in OPERATORS:
            m |= at_least(op, lv)
        union.append(100.0 * pop[m].sum() / national)
    print(f"  {'max over operators':22s}" + "".join(
        f"{max(per_op[op][i] for op in OPERATORS):9.1f}" for i in range(len(TECHS))))
    print(f"  {'union (any operator)':22s}" + "".join(f"{v:9.1f}" for v in union))
    unc = national * (1.0 - union[0] / 100.0)
    print(f"  uncovered by any operator (not reachable by a mobile alert): {unc:,.0f} people")

    print("\nPer district (cell-centre rule; population of cells whose centre is in the district):")
    print(f"  {'district':28s}{'people':>11s}" + "".join(f"{'>=' + lv:>8s}" for lv in TECHS)
          + f"{'B >=4G':>8s}")
    union_masks = {}
    for lv in TECHS:
        m = np.zeros(pop.shape, bool)
        for op in OPERATORS:
            m |= at_least(op, lv)
        union_masks[lv] = m
    b4g = at_least("OperatorB", "4G")
    for code, name, geom, _ in districts:
        zone = rasterize(geom, ds_pop)
        people = pop[zone].sum()
        shares = [100.0 * pop[zone & union_masks[lv]].sum() / people for lv in TECHS]
        print(f"  {code + ' ' + name:28s}{people:11,.0f}" + "".join(f"{v:8.1f}" for v in shares)
              + f"{100.0 * pop[zone & b4g].sum() / people:8.1f}")
    print("\nReminder: ILLUSTRATIVE coverage from assumed sites, not operator data.")


if __name__ == "__main__":
    main()
