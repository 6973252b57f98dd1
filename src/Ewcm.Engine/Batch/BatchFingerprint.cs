using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Batch;

/// <summary>
/// What a country's outputs depend on: the engine version, the country's description (every key of its
/// country.yaml, paths relative to it), the settings that change outputs (rasters, band height; not the
/// thread count, which never does) and the content (SHA-256) of every input file and its sidecars.
/// <c>--resume</c> skips a country whose folder holds an equal fingerprint and intact outputs.
/// </summary>
public sealed class BatchFingerprint
{
    /// <summary>Written into each finished country folder by `ewcm batch`.</summary>
    public const string FileName = "batch_fingerprint.json";

    /// <summary>Files GDAL reads beside a dataset (shapefile parts, world files, overviews, PAM metadata).</summary>
    private static readonly string[] StemSidecars = [".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".tfw", ".tifw", ".wld"];

    private static readonly string[] NameSidecars = [".aux.xml", ".ovr", ".msk"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonObject _key;

    private BatchFingerprint(JsonObject key, string hash)
    {
        _key = key;
        Hash = hash;
    }

    /// <summary>SHA-256 of the canonical JSON of everything the outputs depend on.</summary>
    public string Hash { get; }

    /// <summary>Reads and hashes the inputs of <paramref name="entry"/> (which must have loaded).</summary>
    public static BatchFingerprint Compute(BatchEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        CountryConfig config = entry.Config ?? throw new InvalidOperationException($"{entry.Id} did not load: {entry.LoadError}");
        string folder = Path.GetDirectoryName(config.SourcePath)!;
        var inputs = new JsonArray();
        foreach (string file in WithSidecars(InputFiles(config)))
        {
            var info = new FileInfo(file);
            inputs.Add(new JsonObject
            {
                ["path"] = Relative(folder, file),
                ["bytes"] = info.Exists ? info.Length : null,
                ["sha256"] = info.Exists ? FileChecksum.Sha256Hex(file) : null,
            });
        }

        var key = new JsonObject
        {
            ["ewcm_version"] = EngineInfo.Version,
            ["country"] = Describe(config, folder),
            ["settings"] = new JsonObject
            {
                ["rasters"] = entry.Settings.WriteRasters,
                ["band_height"] = entry.Settings.BandHeight,
            },
            ["inputs"] = inputs,
        };
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToJsonString(Compact))));
        return new BatchFingerprint(key, hash);
    }

    /// <summary>The distinct input files named by a country (population, admin levels, coverage layers, places), in that order.</summary>
    public static IReadOnlyList<string> InputFiles(CountryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. new[] { config.Population.Path }.Concat(config.Admin.Select(a => a.Path)).Concat(config.Coverage.Select(c => c.Path))
            .Concat(config.Hazards.Select(h => h.Path))
            .Concat(config.Places is null ? [] : [config.Places.Path]).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Writes the fingerprint into a finished country folder, with the size and SHA-256 of every file
    /// in it (so that a later resume can tell intact outputs from damaged ones).
    /// </summary>
    public void WriteTo(string countryFolder)
    {
        var outputs = new JsonArray();
        foreach (string file in Directory.GetFiles(countryFolder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name == FileName)
            {
                continue;
            }

            outputs.Add(new JsonObject { ["file"] = name, ["bytes"] = new FileInfo(file).Length, ["sha256"] = FileChecksum.Sha256Hex(file) });
        }

        var doc = new JsonObject { ["fingerprint"] = Hash };
        foreach ((string name, JsonNode? value) in _key)
        {
            doc[name] = value?.DeepClone();
        }

        doc["outputs"] = outputs;
        File.WriteAllText(Path.Combine(countryFolder, FileName), doc.ToJsonString(Indented) + "\n");
    }

    /// <summary>
    /// True when <paramref name="countryFolder"/> holds a result of exactly these inputs and settings, with
    /// every output present at its recorded size (and, except for the rasters, with its recorded SHA-256).
    /// Otherwise <paramref name="reason"/> says what differs.
    /// </summary>
    public bool Matches(string countryFolder, out string reason)
    {
        string path = Path.Combine(countryFolder, FileName);
        if (!Directory.Exists(countryFolder))
        {
            reason = "no earlier result";
            return false;
        }

        JsonObject? stored;
        try
        {
            stored = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (JsonException)
        {
            stored = null;
        }

        if (stored is null)
        {
            reason = $"the earlier result has no readable {FileName}";
            return false;
        }

        if (stored["fingerprint"]?.GetValue<string>() != Hash)
        {
            reason = Difference(stored);
            return false;
        }

        foreach (JsonNode? output in stored["outputs"]?.AsArray() ?? [])
        {
            string file = output?["file"]?.GetValue<string>() ?? string.Empty;
            var info = new FileInfo(Path.Combine(countryFolder, file));
            if (file.Length == 0 || !info.Exists || info.Length != output!["bytes"]?.GetValue<long>())
            {
                reason = $"output {file} is missing or has changed";
                return false;
            }

            bool raster = file.EndsWith(".tif", StringComparison.OrdinalIgnoreCase);
            if (!raster && FileChecksum.Sha256Hex(info.FullName) != output["sha256"]?.GetValue<string>())
            {
                reason = $"output {file} has changed";
                return false;
            }
        }

        reason = "unchanged";
        return true;
    }

    /// <summary>Which part of the key differs from a stored fingerprint, in words.</summary>
    private string Difference(JsonObject stored)
    {
        if (!JsonNode.DeepEquals(stored["ewcm_version"], _key["ewcm_version"]))
        {
            return $"the engine changed ({stored["ewcm_version"]} → {_key["ewcm_version"]})";
        }

        if (!JsonNode.DeepEquals(stored["settings"], _key["settings"]))
        {
            return "the settings changed (rasters or band_height)";
        }

        if (!JsonNode.DeepEquals(stored["country"], _key["country"]))
        {
            return "the country's description changed";
        }

        var before = (stored["inputs"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(i => i["path"]?.GetValue<string>() ?? string.Empty, i => i, StringComparer.Ordinal);
        foreach (JsonObject input in _key["inputs"]!.AsArray().OfType<JsonObject>())
        {
            string file = input["path"]!.GetValue<string>();
            if (!before.TryGetValue(file, out JsonObject? old) || !JsonNode.DeepEquals(old, input))
            {
                return $"input {file} changed";
            }
        }

        return "the inputs changed";
    }

    private static JsonObject Describe(CountryConfig config, string folder)
    {
        JsonObject description = DescribeWithoutHazards(config, folder);
        if (config.BlankZones.Simplify != 1)
        {
            // Only when set, so that the fingerprints of runs made before the key existed still match.
            description["blank_zones"]!["simplify"] = config.BlankZones.Simplify;
        }

        if (config.Hazards.Count > 0)
        {
            // Only when given, so that fingerprints of countries without hazards stay as they were.
            description["hazards"] = new JsonArray([.. config.Hazards.Select(h => (JsonNode)new JsonObject
            {
                ["name"] = h.Name,
                ["label"] = h.Label,
                ["path"] = Relative(folder, h.Path),
                ["layer"] = h.Layer,
                ["where"] = h.Where,
                ["band"] = h.Band,
                ["threshold"] = h.Threshold is double t ? t.ToString("R", CultureInfo.InvariantCulture) : null,
                ["below"] = h.Below,
            })]);
        }

        return description;
    }

    private static JsonObject DescribeWithoutHazards(CountryConfig config, string folder) => new()
    {
        ["iso3"] = config.Iso3,
        ["name"] = config.Name,
        ["population"] = new JsonObject
        {
            ["path"] = Relative(folder, config.Population.Path),
            ["kind"] = config.Population.Kind == PopulationKind.Counts ? "counts" : "density",
            ["nodata"] = config.Population.NoData is double nd ? nd.ToString("R", CultureInfo.InvariantCulture) : null,
        },
        ["single_admin_level"] = config.SingleAdminLevel,
        ["admin"] = new JsonArray([.. config.Admin.Select(a => (JsonNode)new JsonObject
        {
            ["level"] = a.Level,
            ["path"] = Relative(folder, a.Path),
            ["layer"] = a.Layer,
            ["id_field"] = a.IdField,
            ["name_field"] = a.NameField,
        })]),
        ["coverage"] = new JsonArray([.. config.Coverage.Select(c => (JsonNode)new JsonObject
        {
            ["path"] = Relative(folder, c.Path),
            ["layer"] = c.Layer,
            ["technology"] = TechnologyNames.Label(c.Technology),
            ["operator"] = c.Operator,
            ["operator_field"] = c.OperatorField,
            ["min_signal"] = c.MinSignal is double s ? s.ToString("R", CultureInfo.InvariantCulture) : null,
        })]),
        ["credits"] = new JsonArray([.. config.Credits.Select(c => (JsonNode)JsonValue.Create(c))]),
        // Blank-zone settings and places change the outputs too: a resume must not reuse a run made with others.
        ["blank_zones"] = new JsonObject
        {
            ["enabled"] = config.BlankZones.Enabled,
            ["connectivity"] = config.BlankZones.Connectivity,
            ["min_people"] = config.BlankZones.MinPeople,
            ["min_cell_people"] = config.BlankZones.MinCellPeople,
            ["min_cell_density"] = config.BlankZones.MinCellDensity,
        },
        ["places"] = config.Places is null ? null : new JsonObject
        {
            ["path"] = Relative(folder, config.Places.Path),
            ["layer"] = config.Places.Layer,
            ["name_field"] = config.Places.NameField,
        },
    };

    /// <summary>The files and the sidecars that exist beside them, each once.</summary>
    private static List<string> WithSidecars(IEnumerable<string> files)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            if (seen.Add(file))
            {
                result.Add(file);
            }

            string stem = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file));
            IEnumerable<string> candidates = StemSidecars.SelectMany(e => new[] { stem + e, stem + e.ToUpperInvariant() })
                .Concat(NameSidecars.SelectMany(e => new[] { file + e, file + e.ToUpperInvariant() }));
            foreach (string sidecar in candidates)
            {
                if (File.Exists(sidecar) && seen.Add(sidecar))
                {
                    result.Add(sidecar);
                }
            }
        }

        return result;
    }

    private static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');
}
