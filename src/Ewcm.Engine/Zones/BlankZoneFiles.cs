using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Overlay;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Zones;

/// <summary>
/// The blank-zone outputs: blank_zones.csv, blank_zones.geojson (RFC 7946) and blank_zones.gpkg (zones
/// plus the finest level's admin units with their statistics), and the summary.json section. The CSV and
/// GeoJSON bytes depend only on the zones (fixed formats, fixed order).
/// </summary>
public static class BlankZoneFiles
{
    /// <summary>The CSV columns before the per-hazard ones; the viewer relies on these names.</summary>
    public static readonly string[] Columns =
    [
        "rank", "zone_id", "people", "area_km2", "centroid_lon", "centroid_lat", "admin_ids", "admin_names",
        "distance_to_2g_km", "nearest_place", "nearest_place_km", "priority",
    ];

    private static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Column names: <see cref="Columns"/>, then people_exposed_&lt;name&gt; per extra layer.</summary>
    public static IReadOnlyList<string> Header(BlankZoneReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. Columns, .. report.ExtraLayerNames.Select(n => $"people_exposed_{n}")];
    }

    /// <summary>Writes the three files into <paramref name="folder"/>.</summary>
    public static void Write(string folder, BlankZoneReport report, OverlayModel model, BandResult totals, GridSpec grid, string gridCrsWkt)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(totals);
        WriteCsv(Path.Combine(folder, "blank_zones.csv"), report);
        WriteGeoJson(Path.Combine(folder, "blank_zones.geojson"), report);
        WriteGpkg(Path.Combine(folder, "blank_zones.gpkg"), report, model, totals, grid, gridCrsWkt);
    }

    /// <summary>The values of a zone as CSV/GeoJSON texts (numbers with fixed decimals, "" when missing).</summary>
    private static string[] Values(BlankZone z) =>
    [
        z.Rank.ToString(CultureInfo.InvariantCulture), z.Id, Fixed(z.People, 6), Fixed(z.AreaKm2, 6),
        Fixed(z.CentroidLon, 7), Fixed(z.CentroidLat, 7), string.Join(';', z.AdminIds), string.Join(';', z.AdminNames),
        z.DistanceTo2GKm is double d ? Fixed(d, 3) : string.Empty, z.NearestPlace ?? string.Empty,
        z.NearestPlaceKm is double p ? Fixed(p, 3) : string.Empty, Fixed(z.Priority, 6),
        .. z.Exposed.Select(e => Fixed(e, 6)),
    ];

    /// <summary>Columns holding text (quoted in GeoJSON), by index in the header.</summary>
    private static bool IsText(int column) => column is 1 or 6 or 7 or 9;

    private static string Fixed(double v, int decimals)
    {
        double r = Math.Round(v, decimals) + 0.0; // + 0.0 turns −0 into 0
        return r.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static void WriteCsv(string path, BlankZoneReport report)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Header(report)).Append('\n');
        foreach (BlankZone z in report.Zones)
        {
            sb.AppendJoin(',', Values(z).Select(Csv.Quote)).Append('\n');
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    private static void WriteGeoJson(string path, BlankZoneReport report)
    {
        IReadOnlyList<string> header = Header(report);
        var sb = new StringBuilder();
        sb.Append("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < report.Zones.Count; i++)
        {
            BlankZone z = report.Zones[i];
            sb.Append(i == 0 ? "\n" : ",\n").Append("{\"type\":\"Feature\",\"properties\":{");
            string[] values = Values(z);
            for (int c = 0; c < header.Count; c++)
            {
                sb.Append(c == 0 ? string.Empty : ",").Append(Quote(header[c])).Append(':');
                sb.Append(values[c].Length == 0 && c != 6 && c != 7 ? "null" : IsText(c) ? Quote(values[c]) : values[c]);
            }

            sb.Append("},\"geometry\":");
            AppendGeometry(sb, z.Geometry);
            sb.Append('}');
        }

        sb.Append("\n]}\n");
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }

    private static string Quote(string s) => JsonSerializer.Serialize(s, JsonText);

    private static void AppendGeometry(StringBuilder sb, MultiPolygon g)
    {
        bool single = g.NumGeometries == 1;
        sb.Append(single ? "{\"type\":\"Polygon\",\"coordinates\":" : "{\"type\":\"MultiPolygon\",\"coordinates\":");
        if (!single)
        {
            sb.Append('[');
        }

        for (int p = 0; p < g.NumGeometries; p++)
        {
            var polygon = (Polygon)g.GetGeometryN(p);
            sb.Append(p == 0 ? "[" : ",[");
            AppendRing(sb, polygon.ExteriorRing);
            foreach (LineString hole in polygon.InteriorRings)
            {
                sb.Append(',');
                AppendRing(sb, hole);
            }

            sb.Append(']');
        }

        sb.Append(single ? "}" : "]}");
    }

    private static void AppendRing(StringBuilder sb, LineString ring)
    {
        sb.Append('[');
        Coordinate[] c = ring.Coordinates;
        for (int i = 0; i < c.Length; i++)
        {
            sb.Append(i == 0 ? "[" : ",[").Append(Degrees(c[i].X)).Append(',').Append(Degrees(c[i].Y)).Append(']');
        }

        sb.Append(']');
    }

    private static string Degrees(double v) => (Math.Round(v, 7) + 0.0).ToString("0.#######", CultureInfo.InvariantCulture);

    private static void WriteGpkg(string path, BlankZoneReport report, OverlayModel model, BandResult totals, GridSpec grid, string gridCrsWkt)
    {
        var zoneFields = new List<FieldSpec>
        {
            new("rank", FieldKind.Integer64), new("zone_id", FieldKind.String), new("people", FieldKind.Real),
            new("area_km2", FieldKind.Real), new("centroid_lon", FieldKind.Real), new("centroid_lat", FieldKind.Real),
            new("admin_ids", FieldKind.String), new("admin_names", FieldKind.String), new("distance_to_2g_km", FieldKind.Real),
            new("nearest_place", FieldKind.String), new("nearest_place_km", FieldKind.Real), new("priority", FieldKind.Real),
        };
        zoneFields.AddRange(report.ExtraLayerNames.Select(n => new FieldSpec($"people_exposed_{n}", FieldKind.Real)));
        var zoneFeatures = report.Zones.Select(z => ((Geometry)z.Geometry, (IReadOnlyList<object?>)
        [
            (long)z.Rank, z.Id, z.People, z.AreaKm2, z.CentroidLon, z.CentroidLat, string.Join(';', z.AdminIds),
            string.Join(';', z.AdminNames), z.DistanceTo2GKm, z.NearestPlace, z.NearestPlaceKm, z.Priority,
            .. z.Exposed.Cast<object?>(),
        ])).ToList();
        var layers = new List<VectorLayerToWrite>
        {
            new("blank_zones", CrsInfo.FromUserInput("EPSG:4326"), zoneFields, zoneFeatures),
        };
        if (model.Levels.Count > 0)
        {
            layers.Add(AdminLayer(report, model, totals, grid, gridCrsWkt));
        }

        // GeoPackage stamps the write time into gpkg_contents; a fixed stamp keeps the bytes reproducible.
        if (Environment.GetEnvironmentVariable("OGR_CURRENT_DATE") is null)
        {
            Native.Gdal.GdalNative.CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
        }

        GpkgWriter.Write(path, layers);
    }

    /// <summary>The finest level's units in the grid's CRS, with their admin_stats figures and their count of listed zones.</summary>
    private static VectorLayerToWrite AdminLayer(BlankZoneReport report, OverlayModel model, BandResult totals, GridSpec grid, string gridCrsWkt)
    {
        int level = model.Levels.Count - 1;
        AdminLevel lv = model.Levels[level];
        var fields = new List<FieldSpec> { new("admin_id", FieldKind.String), new("name", FieldKind.String), new("pop_total", FieldKind.Real) };
        fields.AddRange(model.TechnologyLevels.Select(t => new FieldSpec($"pop_{TechnologyNames.Suffix(t)}", FieldKind.Real)));
        fields.Add(new("pop_uncovered", FieldKind.Real));
        fields.Add(new("pct_uncovered", FieldKind.Real));
        fields.Add(new("blank_zones", FieldKind.Integer64));
        var zonesPerUnit = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string id in report.Zones.SelectMany(z => z.AdminIds))
        {
            zonesPerUnit[id] = zonesPerUnit.GetValueOrDefault(id) + 1;
        }

        var features = new List<(Geometry, IReadOnlyList<object?>)>();
        for (int u = 0; u < lv.Units.Count; u++)
        {
            var stats = UnitStats.From(model, totals.Units[level], u * totals.Stride);
            var values = new List<object?> { lv.Units[u].Id, lv.Units[u].Name, stats.Total };
            values.AddRange(stats.Covered.Cast<object?>());
            values.Add(stats.Uncovered);
            values.Add(stats.Total > 0 ? 100 * stats.Uncovered / stats.Total : null);
            values.Add(zonesPerUnit.GetValueOrDefault(lv.Units[u].Id));
            features.Add((GridGeometry.FromGridSpace(lv.Units[u].GridGeometry, grid), values));
        }

        return new VectorLayerToWrite("admin_units", gridCrsWkt, fields, features);
    }

    /// <summary>Writes the summary.json "blank_zones" object (the writer is positioned after its property name).</summary>
    public static void WriteSummary(Utf8JsonWriter w, BlankZoneReport report)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(report);
        w.WriteStartObject();
        w.WriteNumber("connectivity", report.Settings.Connectivity);
        w.WriteNumber("min_people", report.Settings.MinPeople);
        w.WriteNumber("min_cell_people", report.Settings.MinCellPeople);
        w.WriteNumber("min_cell_density", report.Settings.MinCellDensity);
        w.WriteNumber("zones", report.Zones.Count);
        w.WriteNumber("people_in_zones", Math.Round(report.PeopleInZones, 6));
        w.WriteStartObject("scattered");
        w.WriteNumber("zones", report.ScatteredZones);
        w.WriteNumber("people", Math.Round(report.ScatteredPeople, 6));
        w.WriteNumber("people_in_small_zones", Math.Round(report.ScatteredZonePeople, 6));
        w.WriteNumber("people_in_cells_below_minimum", Math.Round(report.BelowCellMinimumPeople, 6));
        w.WriteEndObject();
        w.WriteNumber("uncovered_total", Math.Round(report.AllUncovered, 6));
        w.WriteStartArray("top");
        IReadOnlyList<string> header = Header(report);
        foreach (BlankZone z in report.Zones.Take(10))
        {
            string[] values = Values(z);
            w.WriteStartObject();
            for (int c = 0; c < header.Count; c++)
            {
                if (values[c].Length == 0 && c != 6 && c != 7)
                {
                    w.WriteNull(header[c]);
                }
                else if (IsText(c))
                {
                    w.WriteString(header[c], values[c]);
                }
                else
                {
                    w.WriteNumber(header[c], double.Parse(values[c], CultureInfo.InvariantCulture));
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
