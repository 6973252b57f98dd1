using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Union;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// Turns a raster (a signal strength in dBm, a flood depth, ...) into the area where its value passes a
/// threshold, traced along the raster's own cell edges.
/// </summary>
public static class RasterPolygonizer
{
    /// <summary>Rows per read: about a million cells, whatever the raster width.</summary>
    private const int CellsPerChunk = 1 << 20;

    /// <summary>
    /// The union of the cells of band 1 whose value is valid and ≥ <paramref name="threshold"/>, as a
    /// Polygon or MultiPolygon (an empty Polygon when no cell qualifies). Nodata and NaN cells are never
    /// covered. Cell edges are traced exactly (GDALPolygonize, 4-connected) and then reprojected vertex
    /// by vertex to <paramref name="targetCrsWkt"/> when given and different.
    /// </summary>
    /// <remarks>Holds a one-byte-per-cell mask of the whole raster in memory while tracing.</remarks>
    /// <exception cref="InputException">The raster is missing, unreadable, or has no CRS or georeferencing.</exception>
    public static Geometry PolygonizeAtLeast(string path, double threshold, string? targetCrsWkt) =>
        Polygonize(path, 1, threshold, below: false, targetCrsWkt, "signal raster");

    /// <summary>
    /// As <see cref="PolygonizeAtLeast"/>, for band <paramref name="band"/> and the cells whose value is
    /// ≥ <paramref name="threshold"/>, or ≤ it when <paramref name="below"/>. <paramref name="role"/>
    /// names the raster in error messages ("hazard raster").
    /// </summary>
    public static Geometry Polygonize(string path, int band, double threshold, bool below, string? targetCrsWkt, string role) =>
        Union(PolygonizeParts(path, band, threshold, below, targetCrsWkt, role));

    /// <summary>
    /// As <see cref="Polygonize"/>, without the union: the traced polygons, whose interiors are disjoint
    /// (they touch at most at cell corners). For callers that combine parts cell by cell anyway, this
    /// saves the union, which costs seconds on a country-wide raster.
    /// </summary>
    public static List<Geometry> PolygonizeParts(string path, int band, double threshold, bool below, string? targetCrsWkt, string role)
    {
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold must be a number.");
        }

        using RasterSource raster = RasterSource.Open(path, band);
        if (raster.CrsWkt.Length == 0)
        {
            throw InputException.For(path, null, $"the {role} has no coordinate reference system",
                "Assign the right one, e.g. gdal_edit.py -a_srs EPSG:4326 file.tif");
        }

        if (!raster.HasGeoTransform)
        {
            throw InputException.For(path, null, $"the {role} has no georeferencing (geotransform)",
                "Export it again with its georeferencing, or set it with gdal_translate -a_ullr");
        }

        using GdalDataset mask = BuildMask(raster, threshold, below);
        using GdalDataset memory = GdalDataset.CreateVector("Memory", "coverage");
        using SpatialReference source = CrsInfo.Parse(raster.CrsWkt);
        OgrLayer layer = memory.CreateLayer("covered", source, OgrGeometryType.Polygon);
        layer.CreateField("value", OgrFieldType.Integer);
        GdalBand maskBand = mask.Band(1);
        try
        {
            // The mask is also its own mask band: uncovered cells (0) produce no polygons at all.
            maskBand.PolygonizeInto(layer, valueField: 0, mask: maskBand);
        }
        catch (GdalException e)
        {
            throw InputException.For(path, null, $"GDAL could not trace the covered cells ({e.GdalMessage})", "Check the raster with gdalinfo");
        }

        using SpatialReference? target = string.IsNullOrEmpty(targetCrsWkt) ? null : CrsInfo.Parse(targetCrsWkt);
        using CoordinateTransformation? transform = target is null || source.IsSame(target) ? null : Transformation(path, source, target);
        return CoveredPolygons(path, layer, transform);
    }

    private static CoordinateTransformation Transformation(string path, SpatialReference source, SpatialReference target)
    {
        try
        {
            return CoordinateTransformation.Create(source, target, path);
        }
        catch (GdalException e)
        {
            throw InputException.For(path, null, $"cannot reproject from {source.Name} to {target.Name} ({e.GdalMessage})", "Check the raster's CRS");
        }
    }

    /// <summary>An in-memory Byte raster on the same grid: 1 where the value qualifies, 0 elsewhere.</summary>
    private static GdalDataset BuildMask(RasterSource raster, double threshold, bool below)
    {
        GdalDataset mask = GdalDataset.CreateRaster("MEM", "", raster.Width, raster.Height, 1, GdalDataType.Byte);
        try
        {
            mask.SetGeoTransform(raster.GeoTransform);
            mask.SetProjection(raster.CrsWkt);
            GdalBand band = mask.Band(1);
            int chunkRows = Math.Clamp(CellsPerChunk / raster.Width, 1, raster.Height);
            var values = new double[chunkRows * raster.Width];
            var bits = new byte[values.Length];
            double? noData = raster.NoData;
            for (int row0 = 0; row0 < raster.Height; row0 += chunkRows)
            {
                int rows = Math.Min(chunkRows, raster.Height - row0);
                int cells = rows * raster.Width;
                // Doubles hold every GDAL pixel type exactly, so the nodata comparison is exact too.
                raster.ReadRows(row0, rows, values.AsSpan(0, cells));
                for (int i = 0; i < cells; i++)
                {
                    double v = values[i];
                    bool valid = !double.IsNaN(v) && v != noData;
                    bits[i] = valid && (below ? v <= threshold : v >= threshold) ? (byte)1 : (byte)0;
                }

                band.Write(0, row0, raster.Width, rows, bits.AsSpan(0, cells));
            }

            return mask;
        }
        catch
        {
            mask.Dispose();
            throw;
        }
    }

    private static List<Geometry> CoveredPolygons(string path, OgrLayer layer, CoordinateTransformation? transform)
    {
        WKBReader reader = OgrGeometry.CreateReader();
        var polygons = new List<Geometry>();
        try
        {
            layer.ResetReading();
            while (layer.NextFeature() is { } feature)
            {
                using (feature)
                {
                    if (feature.GetInt64(0) != 1 || feature.ReadGeometry(reader, transform) is not { } polygon)
                    {
                        continue;
                    }

                    // Rings touching at a corner (diagonal cells) can come out self-touching; repair before union.
                    polygons.Add(polygon.IsValid ? polygon : GeometryFixer.Fix(polygon));
                }
            }
        }
        catch (GdalException e)
        {
            throw InputException.For(path, null, $"the covered area cannot be reprojected ({e.GdalMessage})", "Check the raster's CRS");
        }

        return polygons;
    }

    private static Geometry Union(List<Geometry> polygons)
    {
        GeometryFactory factory = NtsGeometryServices.Instance.CreateGeometryFactory();
        if (polygons.Count == 0)
        {
            return factory.CreatePolygon();
        }

        Geometry union = UnaryUnionOp.Union(polygons);
        if (union is Polygon or MultiPolygon)
        {
            return union;
        }

        // A collection (or a result with stray lines) → keep only its polygons.
        Polygon[] parts = [.. PolygonExtracter.GetPolygons(union).Cast<Polygon>()];
        return parts.Length switch
        {
            0 => factory.CreatePolygon(),
            1 => parts[0],
            _ => factory.CreateMultiPolygon(parts),
        };
    }
}
