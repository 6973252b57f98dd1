#!/usr/bin/env python3
"""Cut the Western Area sample (population.tif, admin.gpkg) out of the Sierra Leone sample.

This is NOT another country: it is Sierra Leone's Western Area (districts SL0401 Western Area
Rural and SL0402 Western Area Urban, the Freetown peninsula), cut from the real data in
../sle/ so that the batch sample has a third, small, fast entry with three admin levels. Its
coverage is ../sle/coverage.gpkg, which is ILLUSTRATIVE (assumed sites, not operator data).

Run from the repository root (reads ../sle/population.tif and ../sle/admin.gpkg, writes next to
this script):

    /usr/bin/python3 data/samples/sle-western-area/make_sample.py

Needs Python 3 with GDAL (osgeo) and numpy (Debian: python3-gdal python3-numpy). Deterministic:
the GeoPackage timestamp is pinned with OGR_CURRENT_DATE and nothing depends on the clock.

What it does:
  * population.tif: the window of ../sle/population.tif (same 3 arc-second cells, no resampling)
    that holds the Western Area's districts plus MARGIN_CELLS cells on every side; cells that do
    not touch a Western Area district (GDAL ALL_TOUCHED rasterisation) are set to NoData (-99999),
    so the people of the neighbouring districts (Port Loko across the estuary, Moyamba) are not
    counted. Cells that straddle the boundary are kept whole: the engine reports their share
    outside the districts as population_outside_units.
  * admin.gpkg: layers district (2 units), chiefdom (12) and section (86) of ../sle/admin.gpkg,
    the features whose admin1Pcod is SL04, geometries and fields (p-code and name) unchanged.
"""

import os

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", "sle"))
SOURCE_POPULATION = os.path.join(SOURCE, "population.tif")
SOURCE_ADMIN = os.path.join(SOURCE, "admin.gpkg")
POPULATION = os.path.join(HERE, "population.tif")
ADMIN = os.path.join(HERE, "admin.gpkg")

PROVINCE = "SL04"  # Western Area
MARGIN_CELLS = 12  # ~1 km around the districts' extent
LEVELS = (  # (layer, id field, name field)
    ("district", "admin2Pcod", "admin2Name"),
    ("chiefdom", "admin3Pcod", "admin3Name"),
    ("section", "admin4Pcod", "admin4Name"),
)
FIXED_TIMESTAMP = "2024-01-01T00:00:00.000Z"


def write_admin():
    gdal.SetConfigOption("OGR_CURRENT_DATE", FIXED_TIMESTAMP)
    src = ogr.Open(SOURCE_ADMIN)
    tmp = ADMIN + ".tmp.gpkg"
    if os.path.exists(tmp):
        os.remove(tmp)
    dst = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    counts = {}
    for layer, id_field, name_field in LEVELS:
        lin = src.GetLayerByName(layer)
        lin.SetAttributeFilter(f"admin1Pcod = '{PROVINCE}'")
        features = sorted(((f.GetField(id_field), f.GetField(name_field), f.GetGeometryRef().Clone()) for f in lin),
                          key=lambda t: t[0])
        lout = dst.CreateLayer(layer, srs, ogr.wkbMultiPolygon, options=["SPATIAL_INDEX=YES", "FID=fid", "GEOMETRY_NAME=geom"])
        lout.CreateField(ogr.FieldDefn(id_field, ogr.OFTString))
        lout.CreateField(ogr.FieldDefn(name_field, ogr.OFTString))
        lout.StartTransaction()
        for pcode, name, geom in features:
            f = ogr.Feature(lout.GetLayerDefn())
            f.SetField(id_field, pcode)
            f.SetField(name_field, name)
            f.SetGeometry(geom)
            lout.CreateFeature(f)
        lout.CommitTransaction()
        counts[layer] = len(features)
    dst = None
    os.replace(tmp, ADMIN)
    return counts


def write_population():
    src = gdal.Open(SOURCE_POPULATION)
    gt = src.GetGeoTransform()
    admin = ogr.Open(ADMIN)
    districts = admin.GetLayerByName("district")
    west, east, south, north = districts.GetExtent()
    c0 = max(0, int(np.floor((west - gt[0]) / gt[1])) - MARGIN_CELLS)
    c1 = min(src.RasterXSize, int(np.ceil((east - gt[0]) / gt[1])) + MARGIN_CELLS)
    r0 = max(0, int(np.floor((north - gt[3]) / gt[5])) - MARGIN_CELLS)
    r1 = min(src.RasterYSize, int(np.ceil((south - gt[3]) / gt[5])) + MARGIN_CELLS)
    band = src.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    values = band.ReadAsArray(c0, r0, c1 - c0, r1 - r0)
    window_gt = (gt[0] + c0 * gt[1], gt[1], 0.0, gt[3] + r0 * gt[5], 0.0, gt[5])

    mem = gdal.GetDriverByName("MEM").Create("", c1 - c0, r1 - r0, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(window_gt)
    mem.SetProjection(src.GetProjection())
    gdal.RasterizeLayer(mem, [1], districts, burn_values=[1], options=["ALL_TOUCHED=TRUE"])
    touches = mem.GetRasterBand(1).ReadAsArray().astype(bool)
    values = np.where(touches, values, np.float32(nodata)).astype(np.float32)

    tmp = POPULATION + ".tmp.tif"
    out = gdal.GetDriverByName("GTiff").Create(tmp, c1 - c0, r1 - r0, 1, gdal.GDT_Float32,
                                                options=["COMPRESS=LZW", "PREDICTOR=3", "TILED=NO"])
    out.SetGeoTransform(window_gt)
    out.SetProjection(src.GetProjection())
    ob = out.GetRasterBand(1)
    ob.SetNoDataValue(nodata)
    ob.WriteArray(values)
    out = None
    os.replace(tmp, POPULATION)
    valid = values != nodata
    return (c1 - c0, r1 - r0, c0, r0, int(valid.sum()), float(values[valid].astype(np.float64).sum()))


def main():
    counts = write_admin()
    print("admin.gpkg: " + ", ".join(f"{layer} {n}" for layer, n in counts.items()))
    cols, rows, c0, r0, valid, total = write_population()
    print(f"population.tif: {cols} x {rows} cells (window at column {c0}, row {r0} of ../sle/population.tif), "
          f"{valid:,} valid cells, {total:,.2f} people")


if __name__ == "__main__":
    main()
