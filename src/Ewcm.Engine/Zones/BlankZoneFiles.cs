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

    /// <summary>
    /// Writes the three files into <paramref name="folder"/>. The polygons are traced a chunk of zones at a
    /// time and each is written to the GeoJSON and the GeoPackage before the next chunk: memory holds one
    /// chunk of polygons, whatever the number of zones.
    /// </summary>
    public static void Write(string folder, BlankZoneReport report, OverlayModel model, BandResult totals, GridSpec grid, string gridCrsWkt,
        int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(totals);
        WriteCsv(Path.Combine(folder, "blank_zones.csv"), report);
        using var geojson = new ZoneGeoJsonWriter(Path.Combine(folder, "blank_zones.geojson"), Header(report));
        WriteGpkg(Path.Combine(folder, "blank_zones.gpkg"), report, model, totals, grid, gridCrsWkt, ZoneFeatures(report, geojson, threads));
        geojson.Finish();
    }


    /// <summary>The GeoPackage's zone features in rank order; each zone also goes to the GeoJSON as it passes, so it is traced once.</summary>
    private static IEnumerable<(Geometry, IReadOnlyList<object?>)> ZoneFeatures(BlankZoneReport report, ZoneGeoJsonWriter geojson, int threads)
    {
        foreach ((BlankZone z, MultiPolygon geometry) in report.WithGeometries(threads))
        {
            geojson.Add(Values(z), geometry);
            yield return (geometry,
            [
                (long)z.Rank, z.Id, z.People, z.AreaKm2, z.CentroidLon, z.CentroidLat, string.Join(';', z.AdminIds),
                string.Join(';', z.AdminNames), z.DistanceTo2GKm, z.NearestPlace, z.NearestPlaceKm, z.Priority,
                .. z.Exposed.Cast<object?>(),
            ]);
        }
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

    private static string Quote(string s) => JsonSerializer.Serialize(s, JsonText);

    /// <summary>blank_zones.geojson (RFC 7946), written feature by feature as UTF-8 bytes.</summary>
    private sealed class ZoneGeoJsonWriter : IDisposable
    {
        private readonly FileStream _file;
        private readonly IReadOnlyList<string> _header;
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;
        private int _count;

        public ZoneGeoJsonWriter(string path, IReadOnlyList<string> header)
        {
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
            _header = header;
            Write("{\"type\":\"FeatureCollection\",\"features\":[");
        }

        public void Add(string[] values, MultiPolygon geometry)
        {
            Write(_count++ == 0 ? "\n" : ",\n");
            Write("{\"type\":\"Feature\",\"properties\":{");
            for (int c = 0; c < _header.Count; c++)
            {
                Write(c == 0 ? string.Empty : ",");
                Write(Quote(_header[c]));
                Write(":");
                Write(values[c].Length == 0 && c != 6 && c != 7 ? "null" : IsText(c) ? Quote(values[c]) : values[c]);
            }

            Write("},\"geometry\":");
            WriteGeometry(geometry);
            Write("}");
        }

        public void Finish()
        {
            Write("\n]}\n");
            Flush();
        }

        public void Dispose() => _file.Dispose();

        private void WriteGeometry(MultiPolygon g)
        {
            bool single = g.NumGeometries == 1;
            Write(single ? "{\"type\":\"Polygon\",\"coordinates\":" : "{\"type\":\"MultiPolygon\",\"coordinates\":");
            if (!single)
            {
                Write("[");
            }

            for (int p = 0; p < g.NumGeometries; p++)
            {
                var polygon = (Polygon)g.GetGeometryN(p);
                Write(p == 0 ? "[" : ",[");
                WriteRing(polygon.ExteriorRing);
                foreach (LineString hole in polygon.InteriorRings)
                {
                    Write(",");
                    WriteRing(hole);
                }

                Write("]");
            }

            Write(single ? "}" : "]}");
        }

        private void WriteRing(LineString ring)
        {
            Write("[");
            Coordinate[] c = ring.Coordinates; // the ring's own array, not a copy
            for (int i = 0; i < c.Length; i++)
            {
                // A point is at most 2 × 12 bytes of degrees and 4 of punctuation.
                Reserve(32);
                Span<byte> dst = _buffer.AsSpan(_used);
                int n = 0;
                if (i > 0)
                {
                    dst[n++] = (byte)',';
                }

                dst[n++] = (byte)'[';
                n += Degrees(c[i].X, dst[n..]);
                dst[n++] = (byte)',';
                n += Degrees(c[i].Y, dst[n..]);
                dst[n++] = (byte)']';
                _used += n;
            }

            Write("]");
        }

        /// <summary>
        /// Degrees to at most 7 decimals without trailing zeros, as "0.#######" would write them: the
        /// value is a whole number of 1e-7 degrees, written from that integer (an order of magnitude faster).
        /// Returns the bytes written (at most 12: sign, three digits, point, seven decimals).
        /// </summary>
        private static int Degrees(double v, Span<byte> dst)
        {
            long units = (long)Math.Round(v * 1e7);
            int n = 0;
            if (units < 0)
            {
                dst[n++] = (byte)'-';
                units = -units;
            }

            long whole = Math.DivRem(units, 10_000_000, out long fraction);
            int wholeDigits = whole >= 100 ? 3 : whole >= 10 ? 2 : 1;
            for (int d = wholeDigits - 1; d >= 0; d--)
            {
                dst[n + d] = (byte)('0' + (whole % 10));
                whole /= 10;
            }

            n += wholeDigits;
            if (fraction != 0)
            {
                dst[n++] = (byte)'.';
                int digits = 7;
                while (fraction % 10 == 0)
                {
                    fraction /= 10;
                    digits--;
                }

                for (int d = digits - 1; d >= 0; d--)
                {
                    dst[n + d] = (byte)('0' + (fraction % 10));
                    fraction /= 10;
                }

                n += digits;
            }

            return n;
        }

        private void Write(string text)
        {
            int most = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (most > _buffer.Length)
            {
                Flush();
                _file.Write(Encoding.UTF8.GetBytes(text)); // a very long text (e.g. the names of many units)
                return;
            }

            Reserve(most);
            _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
        }

        private void Reserve(int bytes)
        {
            if (_used + bytes > _buffer.Length)
            {
                Flush();
            }
        }

        private void Flush()
        {
            _file.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    private static void WriteGpkg(string path, BlankZoneReport report, OverlayModel model, BandResult totals, GridSpec grid, string gridCrsWkt,
        IEnumerable<(Geometry, IReadOnlyList<object?>)> zoneFeatures)
    {
        var zoneFields = new List<FieldSpec>
        {
            new("rank", FieldKind.Integer64), new("zone_id", FieldKind.String), new("people", FieldKind.Real),
            new("area_km2", FieldKind.Real), new("centroid_lon", FieldKind.Real), new("centroid_lat", FieldKind.Real),
            new("admin_ids", FieldKind.String), new("admin_names", FieldKind.String), new("distance_to_2g_km", FieldKind.Real),
            new("nearest_place", FieldKind.String), new("nearest_place_km", FieldKind.Real), new("priority", FieldKind.Real),
        };
        zoneFields.AddRange(report.ExtraLayerNames.Select(n => new FieldSpec($"people_exposed_{n}", FieldKind.Real)));
        var layers = new List<VectorLayerToWrite>
        {
            new("blank_zones", CrsInfo.FromUserInput("EPSG:4326"), zoneFields, zoneFeatures) { GeometryType = OgcGeometryType.MultiPolygon },
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
        w.WriteNumber("simplify", report.Settings.Simplify);
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
