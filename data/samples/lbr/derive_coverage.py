#!/usr/bin/env python3
"""Derive the ILLUSTRATIVE mobile coverage of the Liberia sample (coverage.gpkg).

THIS IS NOT OPERATOR DATA. No public cell-site list or coverage map exists for Liberia, so
coverage is modelled with GSMA's disc rule around *assumed* cell sites for two fictitious
operators (OperatorA, OperatorB). See README.md in this folder for the rule in words.

Run from the repository root (reads only files in this folder, writes coverage.gpkg next to it):

    /usr/bin/python3 data/samples/lbr/derive_coverage.py

Needs Python 3 with GDAL (osgeo), numpy and shapely 1.8 or 2.x (Debian: python3-gdal
python3-numpy python3-shapely). Deterministic: no random numbers, a fixed order, and the
GeoPackage timestamp pinned with OGR_CURRENT_DATE, so every run writes the same file for the same
library versions.

Rule (all numbers are the constants below):
  * Radii (GSMA disc rule): 2G 12 km, 3G 4 km, 4G 4 km.
  * Urban sites: every GeoNames place in places.csv whose population is at least
    URBAN_MIN_PLACE_POP[operator][tech] gets max(1, ceil(population / PEOPLE_PER_URBAN_SITE))
    sites on a golden-angle (sunflower) spiral around the place centre, outer radius
    URBAN_SPREAD_KM * sqrt(number of sites), rotated by a fixed angle per operator.
  * Rural sites: the population grid is WorldPop density at ~20 km cells (people per km2). Every
    valid cell whose density is at least RURAL_MIN_DENSITY[operator][tech] gets one site at the
    cell's centre (the grid is too coarse for anything finer).
  * Discs: 64 vertices on the WGS 84 ellipsoid (local radii of curvature), rounded to 1e-7 deg,
    unioned per operator and technology with shapely; nothing is clipped.
  * The printed percentages use exact cell fractions (planar, in degrees, as the engine's
    definition) times density x true cell area; the engine's own figures are the reference.
"""

import csv
import math
import os
import sys

import numpy as np
from osgeo import gdal, ogr, osr
from shapely import wkb as shapely_wkb
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.ops import unary_union
from shapely.validation import explain_validity

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
POPULATION = os.path.join(HERE, "population.tif")
PLACES = os.path.join(HERE, "places.csv")
OUTPUT = os.path.join(HERE, "coverage.gpkg")

# --- the rule -------------------------------------------------------------------------------
RADIUS_M = {"2G": 12_000.0, "3G": 4_000.0, "4G": 4_000.0}  # GSMA disc rule
TECHS = ("2G", "3G", "4G")
DISC_VERTICES = 64
PEOPLE_PER_URBAN_SITE = 20_000
URBAN_SPREAD_KM = 1.0
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

OPERATORS = ("OperatorA", "OperatorB")
ROTATION_DEG = {"OperatorA": 0.0, "OperatorB": 180.0}
URBAN_MIN_PLACE_POP = {
    "OperatorA": {"2G": 0, "3G": 0, "4G": 0},
    "OperatorB": {"2G": 0, "3G": 10_000, "4G": 10_000},
}
# Density (people per km2) of a ~20 km cell from which an operator puts a site at its centre;
# None = no rural sites of that technology.
RURAL_MIN_DENSITY = {
    "OperatorA": {"2G": 15.0, "3G": 30.0, "4G": None},
    "OperatorB": {"2G": 30.0, "3G": None, "4G": None},
}

FIXED_TIMESTAMP = "2024-01-01T00:00:00.000Z"

A_WGS84 = 6_378_137.0
F_WGS84 = 1.0 / 298.257223563
E2_WGS84 = F_WGS84 * (2.0 - F_WGS84)


def disc(lon, lat, radius_m, n=DISC_VERTICES):
    """Geodesic circle (closed polygon, counter-clockwise) of radius_m around lon/lat."""
    az = np.arange(n) * (2.0 * math.pi / n)
    north = radius_m * np.cos(az)
    east = radius_m * np.sin(az)
    phi0 = math.radians(lat)
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
    coords = np.round(np.column_stack([lons, lats])[::-1], 7)
    return Polygon(coords)


def offset(lon, lat, east_m, north_m):
    phi = math.radians(lat)
    s2 = math.sin(phi) ** 2
    m = A_WGS84 * (1.0 - E2_WGS84) / (1.0 - E2_WGS84 * s2) ** 1.5
    nrad = A_WGS84 / math.sqrt(1.0 - E2_WGS84 * s2)
    return lon + math.degrees(east_m / (nrad * math.cos(phi))), lat + math.degrees(north_m / m)


def zone_area_km2(lat_south, lat_north, dlon_deg):
    """Area of a cell between two latitudes on the WGS 84 ellipsoid (closed form)."""
    e = math.sqrt(E2_WGS84)
    b2 = (A_WGS84 * (1.0 - F_WGS84)) ** 2

    def q(phi):
        s = math.sin(math.radians(phi))
        return s / (1.0 - E2_WGS84 * s * s) + math.log((1.0 + e * s) / (1.0 - e * s)) / (2.0 * e)

    return math.pi * b2 * (q(lat_north) - q(lat_south)) * dlon_deg / 360.0 / 1e6


def read_population():
    """[(density, people, cell polygon, centre lon, centre lat)] of the valid cells, row-major."""
    ds = gdal.Open(POPULATION)
    band = ds.GetRasterBand(1)
    arr = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    gt = ds.GetGeoTransform()
    cells = []
    for r in range(arr.shape[0]):
        north = gt[3] + r * gt[5]
        south = north + gt[5]
        area = zone_area_km2(south, north, gt[1])
        for c in range(arr.shape[1]):
            v = arr[r, c]
            if v == nodata or not math.isfinite(v):
                continue
            if v < 0:
                sys.exit("population.tif has negative densities that are not nodata")
            west = gt[0] + c * gt[1]
            cells.append((v, v * area, box(west, south, west + gt[1], north), west + gt[1] / 2, (north + south) / 2))
    return cells


def read_places():
    with open(PLACES, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    places = [(int(r["geonameid"]), r["name"], float(r["longitude"]), float(r["latitude"]), int(r["population"])) for r in rows]
    places.sort(key=lambda p: p[0])
    return places


def urban_sites(places, operator, tech):
    sites = []
    rot = math.radians(ROTATION_DEG[operator])
    for _, _, lon, lat, pop in places:
        if pop < URBAN_MIN_PLACE_POP[operator][tech]:
            continue
        n = max(1, math.ceil(pop / PEOPLE_PER_URBAN_SITE))
        rmax = URBAN_SPREAD_KM * 1000.0 * math.sqrt(n)
        for k in range(n):
            if n == 1:
                sites.append((lon, lat))
                continue
            r = rmax * math.sqrt((k + 0.5) / n)
            t = rot + k * GOLDEN_ANGLE
            sites.append(offset(lon, lat, r * math.sin(t), r * math.cos(t)))
    return sites


def rural_sites(cells, operator, tech):
    threshold = RURAL_MIN_DENSITY[operator][tech]
    if threshold is None:
        return []
    return [(lon, lat) for density, _, _, lon, lat in cells if density >= threshold]


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
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    for tech in TECHS:
        lyr = ds.CreateLayer(f"coverage_{tech.lower()}", srs, ogr.wkbMultiPolygon,
                             options=["SPATIAL_INDEX=YES", "FID=fid", "GEOMETRY_NAME=geom"])
        lyr.CreateField(ogr.FieldDefn("operator", ogr.OFTString))
        lyr.CreateField(ogr.FieldDefn("tech", ogr.OFTString))
        lyr.StartTransaction()
        for op in OPERATORS:
            geom = layers.get((op, tech))
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


def read_back():
    ds = ogr.Open(OUTPUT)
    out = {}
    for tech in TECHS:
        for f in ds.GetLayerByName(f"coverage_{tech.lower()}"):
            out[(f.GetField("operator"), tech)] = shapely_wkb.loads(bytes(f.GetGeometryRef().ExportToWkb()))
    return out


def people_in(cells, geom):
    """People inside geom: each cell counts by the covered fraction of its area."""
    if geom is None or geom.is_empty:
        return 0.0
    return sum(people * cell.intersection(geom).area / cell.area for _, people, cell, _, _ in cells)


def main():
    cells = read_population()
    national = sum(c[1] for c in cells)
    print(f"population.tif: {len(cells)} valid cells, density x true cell area = {national:,.0f} people")
    places = read_places()
    print(f"places.csv: {len(places)} places")

    print("\nAssumed sites (urban + rural = total):")
    layers = {}
    for op in OPERATORS:
        for tech in TECHS:
            u = urban_sites(places, op, tech)
            r = rural_sites(cells, op, tech)
            print(f"  {op} {tech}: {len(u)} + {len(r)} = {len(u) + len(r)}")
            geom = as_multipolygon(unary_union([disc(lon, lat, RADIUS_M[tech]) for lon, lat in u + r]))
            if not geom.is_valid:
                sys.exit(f"invalid union for {op} {tech}: {explain_validity(geom)}")
            layers[(op, tech)] = geom

    write_gpkg(layers)
    print(f"\nwrote {os.path.relpath(OUTPUT)} ({os.path.getsize(OUTPUT):,} bytes)")

    written = read_back()
    print("\nLayer check (valid, parts, vertices):")
    for (op, tech), g in sorted(written.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        vertices = sum(len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in g.geoms)
        print(f"  coverage_{tech.lower()} {op}: valid={g.is_valid} parts={len(g.geoms)} vertices={vertices:,}")

    def at_least(op, level):
        return unary_union([written[(op, t)] for t in TECHS[TECHS.index(level):] if (op, t) in written])

    print("\nApproximate population coverage (exact cell fractions, % of the grid's people):")
    print(f"  {'':22s}" + "".join(f"{'>=' + lv:>9s}" for lv in TECHS))
    for op in OPERATORS:
        print(f"  {op:22s}" + "".join(f"{100.0 * people_in(cells, at_least(op, lv)) / national:9.1f}" for lv in TECHS))
    union = [people_in(cells, unary_union([at_least(op, lv) for op in OPERATORS])) for lv in TECHS]
    print(f"  {'union (any operator)':22s}" + "".join(f"{100.0 * u / national:9.1f}" for u in union))
    print(f"  uncovered by any operator: {national - union[0]:,.0f} people")
    print("\nReminder: ILLUSTRATIVE coverage from assumed sites, not operator data.")


if __name__ == "__main__":
    main()
