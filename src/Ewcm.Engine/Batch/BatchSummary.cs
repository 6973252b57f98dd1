using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Outputs;

namespace Ewcm.Engine.Batch;

/// <summary>Status of a country in a batch summary.</summary>
public static class BatchStatus
{
    /// <summary>Its folder holds a finished result of its current inputs (run now, or earlier and reused by --resume).</summary>
    public const string Ok = "ok";

    /// <summary>It failed; the error says why. Its folder, if any, is an older result.</summary>
    public const string Failed = "failed";

    /// <summary>The batch was stopped (Ctrl-C, SIGTERM) before it finished.</summary>
    public const string NotRun = "not_run";
}

/// <summary>
/// One country's row of batch_summary.csv / .json: deterministic figures read from its summary.json
/// (so a reused, a fresh and a merged result give the same bytes). Timings are in batch_log.json.
/// </summary>
public sealed record BatchRow(string Id, string? Iso3, string? Name, string Status)
{
    public double? Population { get; init; }

    /// <summary>% of people covered by at least 2G, 3G, 4G, 5G (null where the technology is absent).</summary>
    public IReadOnlyList<double?> PctCovered { get; init; } = [null, null, null, null];

    public double? Uncovered { get; init; }

    public double? PctUncovered { get; init; }

    /// <summary>SDG 9.c.1 (largest single operator), % of people, at least 2G to 5G.</summary>
    public IReadOnlyList<double?> Sdg9c1Pct { get; init; } = [null, null, null, null];

    /// <summary>Number of blank zones, when the country's summary.json reports them.</summary>
    public long? BlankZones { get; init; }

    public string? Error { get; init; }

    /// <summary>A row from a finished country's summary.json.</summary>
    public static BatchRow FromSummary(string id, string summaryJsonPath)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(summaryJsonPath));
        JsonElement root = doc.RootElement;
        JsonElement national = root.GetProperty("national");
        var pct = new double?[4];
        var sdg = new double?[4];
        foreach (JsonElement level in national.GetProperty("levels").EnumerateArray())
        {
            string tech = level.GetProperty("technology").GetString() ?? string.Empty;
            int t = tech switch { "at least 2G" => 0, "at least 3G" => 1, "at least 4G" => 2, "at least 5G" => 3, _ => -1 };
            if (t >= 0)
            {
                pct[t] = level.GetProperty("pct_covered").GetDouble();
                sdg[t] = level.GetProperty("sdg9c1_pct").GetDouble();
            }
        }

        return new BatchRow(id, root.GetProperty("iso3").GetString(), root.GetProperty("name").GetString(), BatchStatus.Ok)
        {
            Population = national.GetProperty("population").GetDouble(),
            PctCovered = pct,
            Uncovered = national.GetProperty("uncovered").GetDouble(),
            PctUncovered = national.GetProperty("pct_uncovered").GetDouble(),
            Sdg9c1Pct = sdg,
            BlankZones = BlankZoneCount(root),
        };
    }

    /// <summary>
    /// Blank zones, where a summary.json has them: the "zones" of its "blank_zones" object (the listed
    /// zones, as in blank_zones.csv), or a number, a list (its length) or an object with "count". Null
    /// when the country ran without blank zones.
    /// </summary>
    private static long? BlankZoneCount(JsonElement root)
    {
        if (!root.TryGetProperty("blank_zones", out JsonElement z))
        {
            return null;
        }

        return z.ValueKind switch
        {
            JsonValueKind.Number => z.GetInt64(),
            JsonValueKind.Array => z.GetArrayLength(),
            JsonValueKind.Object when z.TryGetProperty("zones", out JsonElement n) && n.ValueKind == JsonValueKind.Number => n.GetInt64(),
            JsonValueKind.Object when z.TryGetProperty("count", out JsonElement c) && c.ValueKind == JsonValueKind.Number => c.GetInt64(),
            _ => null,
        };
    }
}

/// <summary>Which shard of which manifest a summary covers.</summary>
/// <param name="Spec">K/N.</param>
/// <param name="ManifestIds">Every id of the manifest in order, so that a merge can check and order the union.</param>
public sealed record ShardInfo(ShardSpec Spec, IReadOnlyList<string> ManifestIds);

/// <summary>
/// batch_summary.csv and batch_summary.json: one row per country in manifest order, deterministic (no
/// timings, no absolute paths, no dates): the same inputs give the same bytes, whether the countries ran
/// in one batch, were reused by --resume, or ran in shards that `ewcm merge` combined.
/// </summary>
public sealed record BatchSummary(string ManifestName, string ManifestSha256, string EwcmVersion, ShardInfo? Shard, IReadOnlyList<BatchRow> Rows)
{
    public const string CsvName = "batch_summary.csv";

    public const string JsonName = "batch_summary.json";

    private static readonly string[] Techs = ["2g", "3g", "4g", "5g"];

    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "id", "iso3", "name", "status", "population",
        .. Techs.Select(t => $"pct_{t}"), "uncovered", "pct_uncovered",
        .. Techs.Select(t => $"sdg9c1_pct_{t}"), "blank_zones", "error",
    ];

    public int Count(string status) => Rows.Count(r => r.Status == status);

    /// <summary>Writes both files into <paramref name="folder"/>, each atomically (a temporary file renamed).</summary>
    public void WriteTo(string folder)
    {
        AtomicFile.Write(Path.Combine(folder, CsvName), Encoding.UTF8.GetBytes(ToCsv()));
        AtomicFile.Write(Path.Combine(folder, JsonName), ToJson());
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', CsvColumns).Append('\n');
        foreach (BatchRow r in Rows)
        {
            var cells = new List<string>
            {
                Csv.Quote(r.Id), Csv.Quote(r.Iso3 ?? string.Empty), Csv.Quote(r.Name ?? string.Empty), r.Status, People(r.Population),
            };
            cells.AddRange(r.PctCovered.Select(Pct));
            cells.Add(People(r.Uncovered));
            cells.Add(Pct(r.PctUncovered));
            cells.AddRange(r.Sdg9c1Pct.Select(Pct));
            cells.Add(r.BlankZones?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
            cells.Add(Csv.Quote(r.Error ?? string.Empty));
            sb.AppendJoin(',', cells).Append('\n');
        }

        return sb.ToString();
    }

    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("ewcm_version", EwcmVersion);
            w.WriteString("manifest", ManifestName);
            w.WriteString("manifest_sha256", ManifestSha256);
            if (Shard is not null)
            {
                w.WriteStartObject("shard");
                w.WriteNumber("index", Shard.Spec.Index);
                w.WriteNumber("count", Shard.Spec.Count);
                w.WriteStartArray("manifest_ids");
                foreach (string id in Shard.ManifestIds)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteNumber("countries", Rows.Count);
            w.WriteNumber(BatchStatus.Ok, Count(BatchStatus.Ok));
            w.WriteNumber(BatchStatus.Failed, Count(BatchStatus.Failed));
            w.WriteNumber(BatchStatus.NotRun, Count(BatchStatus.NotRun));
            w.WriteStartArray("rows");
            foreach (BatchRow r in Rows)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                Text(w, "iso3", r.Iso3);
                Text(w, "name", r.Name);
                w.WriteString("status", r.Status);
                Number(w, "population", r.Population);
                for (int t = 0; t < Techs.Length; t++)
                {
                    Number(w, $"pct_{Techs[t]}", r.PctCovered[t]);
                }

                Number(w, "uncovered", r.Uncovered);
                Number(w, "pct_uncovered", r.PctUncovered);
                for (int t = 0; t < Techs.Length; t++)
                {
                    Number(w, $"sdg9c1_pct_{Techs[t]}", r.Sdg9c1Pct[t]);
                }

                if (r.BlankZones is long z)
                {
                    w.WriteNumber("blank_zones", z);
                }
                else
                {
                    w.WriteNull("blank_zones");
                }

                Text(w, "error", r.Error);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    /// <summary>Reads a batch_summary.json (for `ewcm merge`).</summary>
    public static BatchSummary Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            ShardInfo? shard = null;
            if (root.TryGetProperty("shard", out JsonElement s) && s.ValueKind == JsonValueKind.Object)
            {
                shard = new ShardInfo(new ShardSpec(s.GetProperty("index").GetInt32(), s.GetProperty("count").GetInt32()),
                    [.. s.GetProperty("manifest_ids").EnumerateArray().Select(e => e.GetString()!)]);
            }

            var rows = root.GetProperty("rows").EnumerateArray().Select(r => new BatchRow(
                r.GetProperty("id").GetString()!, OptText(r, "iso3"), OptText(r, "name"), r.GetProperty("status").GetString()!)
            {
                Population = OptNumber(r, "population"),
                PctCovered = [.. Techs.Select(t => OptNumber(r, $"pct_{t}"))],
                Uncovered = OptNumber(r, "uncovered"),
                PctUncovered = OptNumber(r, "pct_uncovered"),
                Sdg9c1Pct = [.. Techs.Select(t => OptNumber(r, $"sdg9c1_pct_{t}"))],
                BlankZones = r.TryGetProperty("blank_zones", out JsonElement z) && z.ValueKind == JsonValueKind.Number ? z.GetInt64() : null,
                Error = OptText(r, "error"),
            }).ToList();
            return new BatchSummary(root.GetProperty("manifest").GetString()!, root.GetProperty("manifest_sha256").GetString()!,
                root.GetProperty("ewcm_version").GetString()!, shard, rows);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputException($"{path}: not a batch summary written by `ewcm batch` ({e.Message}).", e);
        }
    }

    private static string People(double? v) => v is double d ? Csv.People(d) : string.Empty;

    private static string Pct(double? v) => v is double d ? d.ToString("F4", CultureInfo.InvariantCulture) : string.Empty;

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double d)
        {
            w.WriteNumber(name, d);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string? OptText(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? OptNumber(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}

/// <summary>Files written whole or not at all: a temporary sibling renamed over the target.</summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] bytes)
    {
        string temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
