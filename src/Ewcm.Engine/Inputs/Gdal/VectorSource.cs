using System.Globalization;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// Reads vector layers through GDAL/OGR: GeoPackage, Shapefile, GeoJSON, FlatGeobuf, KML and CSV
/// with longitude/latitude columns (and any other format OGR opens).
/// </summary>
/// <remarks>
/// CSV files: the point geometry comes from the first column named lon, longitude, x or lng and the
/// first named lat, latitude or y; those columns are not attributes. A CSV carries no CRS, so it is
/// taken to be EPSG:4326 (WGS 84 longitude/latitude). Empty CSV cells read as null. KML is always EPSG:4326.
/// </remarks>
public static class VectorSource
{
    private static readonly KeyValuePair<string, string>[] CsvOpenOptions =
    [
        new("X_POSSIBLE_NAMES", "lon,longitude,x,lng"),
        new("Y_POSSIBLE_NAMES", "lat,latitude,y"),
        new("KEEP_GEOM_COLUMNS", "NO"),
        new("EMPTY_STRING_AS_NULL", "YES"),
    ];

    /// <summary>The names of the layers in a vector file, in file order.</summary>
    /// <exception cref="InputException">The file is missing or GDAL cannot open it as vector data.</exception>
    public static IReadOnlyList<string> ListLayers(string path)
    {
        using GdalDataset dataset = OpenVector(path);
        return LayerNames(dataset);
    }

    /// <summary>
    /// Reads every feature of one layer: its geometry (reprojected to <paramref name="targetCrsWkt"/>
    /// when given) and the requested attribute fields as invariant-culture strings.
    /// </summary>
    /// <param name="path">The vector file.</param>
    /// <param name="layerName">The layer; null when the file has exactly one layer.</param>
    /// <param name="fields">Attribute fields to read (matched ignoring case when there is no exact match).</param>
    /// <param name="targetCrsWkt">CRS to reproject into, or null to keep the layer's own CRS.</param>
    /// <param name="where">Optional OGR SQL attribute filter: only the matching features are read.</param>
    /// <exception cref="InputException">
    /// The file is missing or unreadable, the layer or a field does not exist, the layer has no CRS,
    /// or a geometry cannot be read or reprojected. The message names the file, layer and problem.
    /// </exception>
    public static VectorLayerData ReadLayer(string path, string? layerName, IReadOnlyList<string> fields, string? targetCrsWkt,
        string? where = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using GdalDataset dataset = OpenVector(path);
        OgrLayer layer = FindLayer(dataset, layerName);
        string name = layer.Name;
        var keys = new AttributeKeys(fields.Distinct(StringComparer.Ordinal).ToList());
        OgrFieldInfo[] layerFields = [.. layer.Fields];
        int[] fieldIndexes = [.. keys.Names.Select(f => FindField(path, name, layerFields, f))];

        using SpatialReference source = LayerCrs(path, layer);
        using SpatialReference? target = string.IsNullOrEmpty(targetCrsWkt) ? null : CrsInfo.Parse(targetCrsWkt);
        using CoordinateTransformation? transform = target is null || source.IsSame(target) ? null : Transformation(path, name, source, target);
        if (where is not null)
        {
            try
            {
                layer.SetAttributeFilter(where);
            }
            catch (GdalException e)
            {
                throw BadFilter(path, name, where, layerFields, e);
            }
        }

        WKBReader reader = OgrGeometry.CreateReader();
        var features = new List<VectorFeature>();
        int skipped = 0;
        try
        {
            layer.ResetReading();
            while (layer.NextFeature() is { } feature)
            {
                using (feature)
                {
                    Geometry? geometry = ReadGeometry(path, name, feature, reader, transform);
                    if (geometry is null)
                    {
                        skipped++;
                        continue;
                    }

                    var values = new string?[fieldIndexes.Length];
                    for (int i = 0; i < fieldIndexes.Length; i++)
                    {
                        values[i] = FieldText(feature, fieldIndexes[i], layerFields[fieldIndexes[i]].Type);
                    }

                    features.Add(new VectorFeature(geometry, new AttributeRow(keys, values)));
                }
            }
        }
        catch (GdalException e) when (where is not null)
        {
            // Some drivers (GeoPackage) only parse the filter when reading starts.
            throw BadFilter(path, name, where, layerFields, e);
        }
        catch (GdalException e)
        {
            throw new InputException($"{path}, layer '{name}': {e.GdalMessage}. The file may be corrupt; check it with ogrinfo.", e);
        }

        return new VectorLayerData(path, name, source.ToWkt(), features, skipped);
    }

    private static InputException BadFilter(string path, string layer, string where, OgrFieldInfo[] fields, GdalException e) =>
        InputException.For(path, layer, $"the filter \"{where}\" is not a valid OGR SQL condition ({e.GdalMessage})",
            $"Write it as an OGR SQL WHERE clause on the layer's fields, e.g. NAME = 'WINSTON'; fields: {string.Join(", ", fields.Select(f => f.Name))}");

    private static GdalDataset OpenVector(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        GdalInput.RequireFile(path, "vector");
        try
        {
            return GdalDataset.Open(path, GdalOpenFlags.Vector, IsCsv(path) ? CsvOpenOptions : null);
        }
        catch (GdalException e)
        {
            throw GdalInput.Unreadable(path, "vector file", e);
        }
    }

    private static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    private static List<string> LayerNames(GdalDataset dataset)
    {
        var names = new List<string>(dataset.LayerCount);
        for (int i = 0; i < dataset.LayerCount; i++)
        {
            names.Add(dataset.Layer(i).Name);
        }

        return names;
    }

    private static OgrLayer FindLayer(GdalDataset dataset, string? layerName)
    {
        List<string> names = LayerNames(dataset);
        string available = names.Count == 0 ? "(none)" : string.Join(", ", names.Select(n => $"'{n}'"));
        if (layerName is null)
        {
            return names.Count == 1
                ? dataset.Layer(0)
                : throw InputException.For(
                    dataset.Path,
                    null,
                    names.Count == 0 ? "the file has no layers" : $"the file has {names.Count} layers, so the layer must be named",
                    $"Set 'layer' in country.yaml to one of: {available}");
        }

        int index = names.IndexOf(layerName);
        if (index < 0)
        {
            int[] loose = [.. Enumerable.Range(0, names.Count).Where(i => string.Equals(names[i], layerName, StringComparison.OrdinalIgnoreCase))];
            index = loose.Length == 1 ? loose[0] : -1;
        }

        return index >= 0
            ? dataset.Layer(index)
            : throw InputException.For(dataset.Path, null, $"there is no layer '{layerName}'", $"Available layers: {available}. Check the layer name in country.yaml");
    }

    private static int FindField(string path, string layerName, OgrFieldInfo[] layerFields, string field)
    {
        int index = Array.FindIndex(layerFields, f => string.Equals(f.Name, field, StringComparison.Ordinal));
        if (index < 0)
        {
            int[] loose = [.. Enumerable.Range(0, layerFields.Length).Where(i => string.Equals(layerFields[i].Name, field, StringComparison.OrdinalIgnoreCase))];
            index = loose.Length == 1 ? loose[0] : -1;
        }

        if (index < 0)
        {
            string available = layerFields.Length == 0 ? "(none)" : string.Join(", ", layerFields.Select(f => $"'{f.Name}'"));
            throw InputException.For(path, layerName, $"there is no field '{field}'", $"Available fields: {available}. Check the field names in country.yaml");
        }

        return index;
    }

    private static SpatialReference LayerCrs(string path, OgrLayer layer)
    {
        SpatialReference? srs = layer.CloneSpatialReference();
        if (srs is not null)
        {
            return srs;
        }

        if (IsCsv(path))
        {
            // CSV has no way to state a CRS; longitude/latitude columns are WGS 84 in practice.
            return SpatialReference.FromUserInput("EPSG:4326");
        }

        throw InputException.For(
            path,
            layer.Name,
            "the layer has no coordinate reference system; assign one (e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg input.shp) "
            + "using the CRS its coordinates are really in",
            "For a Shapefile, the .prj file next to the .shp is missing");
    }

    private static CoordinateTransformation Transformation(string path, string layerName, SpatialReference source, SpatialReference target)
    {
        try
        {
            return CoordinateTransformation.Create(source, target, path);
        }
        catch (GdalException e)
        {
            throw InputException.For(path, layerName, $"cannot reproject from {source.Name} to {target.Name} ({e.GdalMessage})", "Check the layer's CRS");
        }
    }

    private static Geometry? ReadGeometry(string path, string layerName, OgrFeature feature, WKBReader reader, CoordinateTransformation? transform)
    {
        try
        {
            return feature.ReadGeometry(reader, transform);
        }
        catch (GdalException e)
        {
            throw InputException.For(path, layerName, $"feature {feature.Fid}: {e.GdalMessage}", "Check or repair that feature's geometry");
        }
        catch (Exception e) when (e is ParseException or ArgumentException or InvalidOperationException)
        {
            throw InputException.For(path, layerName, $"feature {feature.Fid} has a geometry Ewcm cannot read ({e.Message})", "Check or repair that feature's geometry");
        }
    }

    /// <summary>Integers without decimals, reals round-trippable ("R"), everything else as GDAL prints it.</summary>
    private static string? FieldText(OgrFeature feature, int index, OgrFieldType type)
    {
        if (!feature.HasValue(index))
        {
            return null;
        }

        return type switch
        {
            OgrFieldType.Integer or OgrFieldType.Integer64 => feature.GetInt64(index).ToString(CultureInfo.InvariantCulture),
            OgrFieldType.Real => feature.GetDouble(index).ToString("R", CultureInfo.InvariantCulture),
            _ => feature.GetString(index),
        };
    }
}
