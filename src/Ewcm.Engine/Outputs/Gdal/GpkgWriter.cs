using System.Globalization;
using Ewcm.Engine.Native.Gdal;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// Writes vector layers through GDAL/OGR. The format follows the extension: .gpkg → GeoPackage
/// (any number of layers), .geojson → GeoJSON (RFC 7946 when the CRS is EPSG:4326), .fgb →
/// FlatGeobuf, .shp → ESRI Shapefile (UTF-8); the last three hold exactly one layer.
/// </summary>
/// <remarks>
/// An existing file is replaced. Geometries are written in 2D. Real values that are NaN or infinite
/// are written as null (most formats, GeoJSON included, cannot hold them). Mixed single and multi
/// geometries of one kind (Polygon and MultiPolygon) are all written as multi.
/// </remarks>
public static class GpkgWriter
{
    /// <summary>Writes <paramref name="layers"/> to a new file at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">Unknown extension, or several layers for a single-layer format, or a feature's value count differs from the field count.</exception>
    /// <exception cref="GdalException">GDAL could not write the file.</exception>
    public static void Write(string path, IReadOnlyList<VectorLayerToWrite> layers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(layers);
        OutputFormat format = OutputFormat.For(path);
        if (!format.MultiLayer && layers.Count != 1)
        {
            throw new ArgumentException($"{path}: the {format.Driver} format holds exactly one layer, but {layers.Count} were given.", nameof(layers));
        }

        if (File.Exists(path))
        {
            GdalDataset.Delete(format.Driver, path);
        }

        using GdalDataset dataset = GdalDataset.CreateVector(format.Driver, path);
        WKBWriter writer = OgrGeometry.CreateWriter();
        foreach (VectorLayerToWrite layer in layers)
        {
            WriteLayer(dataset, format, layer, writer);
        }

        dataset.Close();
    }

    private static void WriteLayer(GdalDataset dataset, OutputFormat format, VectorLayerToWrite layer, WKBWriter writer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        using SpatialReference? srs = layer.CrsWkt.Length == 0 ? null : SpatialReference.FromWkt(layer.CrsWkt, dataset.Path);
        IEnumerable<(Geometry Geometry, IReadOnlyList<object?> Values)> features = layer.Features;
        OgrGeometryType type;
        bool promoteToMulti = false;
        if (layer.GeometryType is OgcGeometryType declared)
        {
            type = ToOgr(declared);
        }
        else
        {
            var all = features as IReadOnlyList<(Geometry, IReadOnlyList<object?>)> ?? [.. features];
            (type, promoteToMulti) = LayerGeometryType(all);
            features = all;
        }

        OgrLayer ogr = dataset.CreateLayer(layer.Name, srs, type, format.LayerOptions(srs));
        foreach (FieldSpec field in layer.Fields)
        {
            ogr.CreateField(field.Name, field.Kind switch
            {
                FieldKind.Integer64 => OgrFieldType.Integer64,
                FieldKind.Real => OgrFieldType.Real,
                _ => OgrFieldType.String,
            });
        }

        // One transaction per layer: GeoPackage otherwise commits (and syncs) every feature.
        bool transaction = dataset.TryStartTransaction();
        try
        {
            GeometryFactory factory = NtsGeometryServices.Instance.CreateGeometryFactory();
            foreach ((Geometry geometry, IReadOnlyList<object?> values) in features)
            {
                if (values.Count != layer.Fields.Count)
                {
                    throw new ArgumentException(
                        $"Layer '{layer.Name}' has {layer.Fields.Count} fields but a feature has {values.Count} values.", nameof(layer));
                }

                using OgrFeature feature = ogr.NewFeature();
                feature.SetGeometry(promoteToMulti ? ToMulti(geometry, factory) : geometry, writer);
                for (int i = 0; i < values.Count; i++)
                {
                    SetValue(feature, i, layer.Fields[i].Kind, values[i]);
                }

                ogr.Add(feature);
            }

            if (transaction)
            {
                dataset.CommitTransaction();
            }
        }
        catch
        {
            if (transaction)
            {
                dataset.RollbackTransaction();
            }

            throw;
        }
    }

    /// <summary>The layer's declared geometry type; Shapefile and GeoPackage readers expect one type per layer.</summary>
    private static (OgrGeometryType Type, bool PromoteToMulti) LayerGeometryType(IReadOnlyList<(Geometry Geometry, IReadOnlyList<object?> Values)> features)
    {
        OgcGeometryType[] kinds = [.. features.Select(f => f.Geometry.OgcGeometryType).Distinct()];
        if (kinds.Length == 1)
        {
            return (ToOgr(kinds[0]), false);
        }

        if (kinds.Length == 2)
        {
            foreach ((OgcGeometryType single, OgcGeometryType multi) in new[]
            {
                (OgcGeometryType.Point, OgcGeometryType.MultiPoint),
                (OgcGeometryType.LineString, OgcGeometryType.MultiLineString),
                (OgcGeometryType.Polygon, OgcGeometryType.MultiPolygon),
            })
            {
                if (kinds.Contains(single) && kinds.Contains(multi))
                {
                    return (ToOgr(multi), true);
                }
            }
        }

        return (OgrGeometryType.Unknown, false);
    }

    private static OgrGeometryType ToOgr(OgcGeometryType type) => type switch
    {
        OgcGeometryType.Point => OgrGeometryType.Point,
        OgcGeometryType.LineString => OgrGeometryType.LineString,
        OgcGeometryType.Polygon => OgrGeometryType.Polygon,
        OgcGeometryType.MultiPoint => OgrGeometryType.MultiPoint,
        OgcGeometryType.MultiLineString => OgrGeometryType.MultiLineString,
        OgcGeometryType.MultiPolygon => OgrGeometryType.MultiPolygon,
        OgcGeometryType.GeometryCollection => OgrGeometryType.GeometryCollection,
        _ => OgrGeometryType.Unknown,
    };

    private static Geometry ToMulti(Geometry geometry, GeometryFactory factory) => geometry switch
    {
        Point p => factory.CreateMultiPoint([p]),
        LineString l => factory.CreateMultiLineString([l]),
        Polygon p => factory.CreateMultiPolygon([p]),
        _ => geometry,
    };

    private static void SetValue(OgrFeature feature, int index, FieldKind kind, object? value)
    {
        if (value is null)
        {
            feature.SetNull(index);
            return;
        }

        switch (kind)
        {
            case FieldKind.Integer64:
                feature.SetInt64(index, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case FieldKind.Real:
                double real = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (double.IsFinite(real))
                {
                    feature.SetDouble(index, real);
                }
                else
                {
                    feature.SetNull(index);
                }

                break;
            default:
                feature.SetString(index, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }

    /// <summary>The OGR driver and options an extension stands for.</summary>
    private sealed record OutputFormat(string Driver, bool MultiLayer)
    {
        internal static OutputFormat For(string path)
        {
            string extension = System.IO.Path.GetExtension(path).ToUpperInvariant();
            return extension switch
            {
                ".GPKG" => new OutputFormat("GPKG", MultiLayer: true),
                ".GEOJSON" or ".JSON" => new OutputFormat("GeoJSON", MultiLayer: false),
                ".FGB" => new OutputFormat("FlatGeobuf", MultiLayer: false),
                ".SHP" => new OutputFormat("ESRI Shapefile", MultiLayer: false),
                _ => throw new ArgumentException(
                    $"Cannot tell the vector format of {path}: use .gpkg, .geojson, .fgb or .shp.", nameof(path)),
            };
        }

        internal List<KeyValuePair<string, string>> LayerOptions(SpatialReference? srs)
        {
            var options = new List<KeyValuePair<string, string>>();
            if (Driver == "GeoJSON" && srs is not null && IsWgs84(srs))
            {
                // RFC 7946: plain lon/lat GeoJSON, what web maps expect.
                options.Add(new("RFC7946", "YES"));
            }

            if (Driver == "ESRI Shapefile")
            {
                options.Add(new("ENCODING", "UTF-8"));
            }

            return options;
        }

        private static bool IsWgs84(SpatialReference srs)
        {
            using SpatialReference wgs84 = SpatialReference.FromUserInput("EPSG:4326");
            return srs.IsSame(wgs84);
        }
    }
}
