using System.Globalization;
using System.Security.Cryptography;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ewcm.Engine.Batch;

/// <summary>Settings of one country's run that change its outputs (so they are part of its fingerprint).</summary>
/// <param name="WriteRasters">Write the COG outputs.</param>
/// <param name="BandHeight">Rows per band of the overlay.</param>
public sealed record BatchSettings(bool WriteRasters, int BandHeight)
{
    public static BatchSettings Default { get; } = new(true, 256);
}

/// <summary>
/// One country of a manifest: its id (the name of its output folder), where it was given, and its
/// country description, or the error that prevents loading it (reported as that country's failure,
/// never as the batch's: the other countries still run).
/// </summary>
public sealed class BatchEntry
{
    internal BatchEntry(int index, string id, string where, string? configPath, CountryConfig? config, string? loadError, BatchSettings settings)
    {
        Index = index;
        Id = id;
        Where = where;
        ConfigPath = configPath;
        Config = config;
        LoadError = loadError;
        Settings = settings;
    }

    /// <summary>Position in the manifest's list (0-based): the order of every summary.</summary>
    public int Index { get; }

    /// <summary>Unique in the manifest (case-insensitive); names the output folder DIR/&lt;id&gt;.</summary>
    public string Id { get; }

    /// <summary>"countries[2] (line 9)": where the manifest gives it, for messages.</summary>
    public string Where { get; }

    /// <summary>The country.yaml file, or null for an inline entry.</summary>
    public string? ConfigPath { get; }

    /// <summary>The loaded country, or null when <see cref="LoadError"/> says why not.</summary>
    public CountryConfig? Config { get; }

    public string? LoadError { get; }

    public BatchSettings Settings { get; }

    /// <summary>Bytes of the distinct input files (population, admin, coverage) that exist: the weight used to balance shards and estimate progress.</summary>
    public long InputBytes => Config is null ? 0 : BatchFingerprint.InputFiles(Config).Where(File.Exists).Sum(f => new FileInfo(f).Length);
}

/// <summary>
/// A batch manifest (manifest.yaml): shared defaults and the list of countries, each a path to a
/// country.yaml (or its folder), a mapping with a config path and settings, or an inline country.
/// Every unknown key, wrong value, missing file or duplicate id is an error naming the line.
/// </summary>
/// <example>
/// <code>
/// defaults: { parallel: 2, rasters: true }
/// countries:
///   - sle/country.yaml
///   - { id: SLE-WA, config: sle-western-area/country.yaml, rasters: false }
///   - id: TST
///     country: { iso3: TST, name: Testland, population: { path: pop.tif }, admin: {...}, coverage: [...] }
/// </code>
/// </example>
public sealed class BatchManifest
{
    private static readonly string[] TopKeys = ["defaults", "countries"];
    private static readonly string[] DefaultKeys = ["parallel", "rasters", "band_height", "credits"];
    private static readonly string[] EntryKeys = ["id", "config", "country", "rasters", "band_height"];

    private BatchManifest(string sourcePath, string sha256, int? parallel, IReadOnlyList<BatchEntry> entries)
    {
        SourcePath = sourcePath;
        Sha256 = sha256;
        Parallel = parallel;
        Entries = entries;
    }

    /// <summary>Absolute path of the manifest.</summary>
    public string SourcePath { get; }

    /// <summary>SHA-256 of the manifest's bytes: shards of one batch must agree on it.</summary>
    public string Sha256 { get; }

    /// <summary>defaults.parallel, when given.</summary>
    public int? Parallel { get; }

    public IReadOnlyList<BatchEntry> Entries { get; }

    /// <summary>The manifest's folder: relative paths in it, and in messages, are taken from here.</summary>
    public string Folder => Path.GetDirectoryName(SourcePath)!;

    /// <summary>Reads and checks a manifest. Throws <see cref="ConfigException"/> for errors in the manifest itself.</summary>
    public static BatchManifest Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigException($"{path}: file not found. Give the path of a batch manifest (see data/samples/manifest.yaml).");
        }

        byte[] bytes = File.ReadAllBytes(full);
        YamlMappingNode root = Parse(path, bytes);
        var ctx = new ManifestContext(path, Path.GetDirectoryName(full)!);
        ctx.CheckKeys(root, TopKeys, "the top level");

        int? parallel = null;
        var defaults = BatchSettings.Default;
        IReadOnlyList<string> credits = [];
        if (root.Children.TryGetValue(new YamlScalarNode("defaults"), out YamlNode? d))
        {
            if (d is not YamlMappingNode dm)
            {
                throw ctx.Error(root, "defaults", $"defaults must be a mapping with some of the keys {string.Join(", ", DefaultKeys)}");
            }

            ctx.CheckKeys(dm, DefaultKeys, "defaults");
            parallel = ctx.OptionalInt(dm, "parallel", "defaults", 1);
            defaults = ReadSettings(ctx, dm, "defaults", defaults);
            credits = ReadCredits(ctx, dm);
        }

        if (!root.Children.TryGetValue(new YamlScalarNode("countries"), out YamlNode? c))
        {
            throw ctx.At(root, "missing key 'countries' in the top level: list the countries, e.g. countries: [ sle/country.yaml ]");
        }

        if (c is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw ctx.Error(root, "countries", "countries must be a non-empty list; each item is a path to a country.yaml, or a mapping with config: or country:");
        }

        var entries = new List<BatchEntry>();
        var ids = new Dictionary<string, BatchEntry>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < list.Children.Count; i++)
        {
            BatchEntry entry = ReadEntry(ctx, list.Children[i], i, full, defaults, credits);
            if (ids.TryGetValue(entry.Id, out BatchEntry? first))
            {
                throw ctx.At(list.Children[i],
                    $"countries[{i}]: the id '{entry.Id}' is already used by {first.Where}; every country needs its own id, which names its output folder: add id: (e.g. id: {entry.Id}-2) to one of them");
            }

            ids.Add(entry.Id, entry);
            entries.Add(entry);
        }

        return new BatchManifest(full, Convert.ToHexStringLower(SHA256.HashData(bytes)), parallel, entries);
    }

    private static YamlMappingNode Parse(string path, byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes));
        var scanner = new Scanner(reader);
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{path}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            Mark at = scanner.CurrentPosition;
            throw new ConfigException($"{path}: not valid YAML at line {at.Line}, column {at.Column}: a '{{' or '[' before this point is not closed. Close it on the line where it opens.", e);
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new ConfigException($"{path}: expected a YAML mapping with the keys {string.Join(", ", TopKeys)}.");
    }

    private static BatchEntry ReadEntry(ManifestContext ctx, YamlNode node, int index, string manifestPath, BatchSettings defaults, IReadOnlyList<string> credits)
    {
        string where = $"countries[{index}] (line {node.Start.Line})";
        string label = $"countries[{index}]";
        if (node is YamlScalarNode scalar)
        {
            string config = ctx.ConfigFile(node, scalar.Value, label);
            return FromFile(index, null, where, config, defaults, credits);
        }

        if (node is not YamlMappingNode m)
        {
            throw ctx.At(node, $"{label} must be a path to a country.yaml, or a mapping with config: (a path) or country: (the country inline)");
        }

        ctx.CheckKeys(m, EntryKeys, label);
        string? id = ctx.OptionalString(m, "id");
        if (id is not null && !ValidId(id))
        {
            throw ctx.Error(m, "id", $"{label}.id '{id}' names a folder: use 1 to 64 letters, digits, '-' or '_', starting with a letter or digit");
        }

        BatchSettings settings = ReadSettings(ctx, m, label, defaults);
        bool hasConfig = m.Children.ContainsKey(new YamlScalarNode("config"));
        bool hasCountry = m.Children.ContainsKey(new YamlScalarNode("country"));
        if (hasConfig == hasCountry)
        {
            throw ctx.At(m, $"{label}: give exactly one of config (the path of a country.yaml) or country (the country's keys inline)");
        }

        if (hasConfig)
        {
            string config = ctx.ConfigFile(m.Children[new YamlScalarNode("config")], ctx.OptionalString(m, "config"), $"{label}.config");
            return FromFile(index, id, where, config, settings, credits);
        }

        if (m.Children[new YamlScalarNode("country")] is not YamlMappingNode inline)
        {
            throw ctx.Error(m, "country", $"{label}.country must be a mapping with the keys of a country.yaml (iso3, name, population, admin, coverage)");
        }

        try
        {
            CountryConfig loaded = CountryConfigLoader.LoadMapping(inline, ctx.DisplayPath, manifestPath, $"{label}.country");
            return new BatchEntry(index, id ?? loaded.Iso3, where, null, WithCredits(loaded, credits), null, settings);
        }
        catch (ConfigException e)
        {
            return new BatchEntry(index, id ?? $"COUNTRY-{index + 1}", where, null, null, e.Message, settings);
        }
    }

    private static BatchEntry FromFile(int index, string? id, string where, string config, BatchSettings settings, IReadOnlyList<string> credits)
    {
        try
        {
            CountryConfig loaded = CountryConfigLoader.Load(config);
            return new BatchEntry(index, id ?? loaded.Iso3, where, config, WithCredits(loaded, credits), null, settings);
        }
        catch (Exception e) when (e is EwcmException or IOException or UnauthorizedAccessException)
        {
            // Isolated: this country fails, the others run. Its id falls back to its file or folder name.
            return new BatchEntry(index, id ?? FallbackId(config), where, config, null, e.Message, settings);
        }
    }

    private static CountryConfig WithCredits(CountryConfig config, IReadOnlyList<string> credits) =>
        credits.Count == 0 ? config : config with { Credits = [.. config.Credits, .. credits.Where(c => !config.Credits.Contains(c))] };

    /// <summary>SLE for sle/country.yaml, LIBERIA_2024 for liberia_2024.yaml.</summary>
    private static string FallbackId(string config)
    {
        string name = Path.GetFileNameWithoutExtension(config);
        if (string.Equals(name, "country", StringComparison.OrdinalIgnoreCase))
        {
            name = Path.GetFileName(Path.GetDirectoryName(config)) ?? name;
        }

        string id = new([.. name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-' || ch == '_' ? char.ToUpperInvariant(ch) : '_')]);
        id = id.TrimStart('-', '_');
        return id.Length == 0 ? "COUNTRY" : id[..Math.Min(id.Length, 64)];
    }

    internal static bool ValidId(string id) =>
        id.Length is >= 1 and <= 64 && char.IsAsciiLetterOrDigit(id[0]) && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-' || ch == '_');

    private static BatchSettings ReadSettings(ManifestContext ctx, YamlMappingNode node, string where, BatchSettings inherited)
    {
        bool rasters = ctx.OptionalBool(node, "rasters", where) ?? inherited.WriteRasters;
        int bandHeight = ctx.OptionalInt(node, "band_height", where, 1) ?? inherited.BandHeight;
        return new BatchSettings(rasters, bandHeight);
    }

    private static List<string> ReadCredits(ManifestContext ctx, YamlMappingNode node)
    {
        if (!node.Children.TryGetValue(new YamlScalarNode("credits"), out YamlNode? value))
        {
            return [];
        }

        if (value is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode { Value.Length: > 0 }))
        {
            throw ctx.Error(node, "credits", "defaults.credits must be a list of texts (added to every country's credits)");
        }

        return [.. list.Children.Select(c => ((YamlScalarNode)c).Value!)];
    }

    /// <summary>Error-reporting helpers bound to the manifest file.</summary>
    private sealed class ManifestContext(string displayPath, string folder)
    {
        public string DisplayPath { get; } = displayPath;

        public ConfigException At(YamlNode node, string message) =>
            new($"{DisplayPath}, line {node.Start.Line}: {message}.");

        public ConfigException Error(YamlMappingNode parent, string key, string message)
        {
            YamlNode at = parent.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) ? v : parent;
            return At(at, $"{message} (key '{key}')");
        }

        public void CheckKeys(YamlMappingNode node, string[] allowed, string where)
        {
            foreach (KeyValuePair<YamlNode, YamlNode> kv in node.Children)
            {
                string key = (kv.Key as YamlScalarNode)?.Value ?? "?";
                if (!allowed.Contains(key))
                {
                    throw At(kv.Key, $"unknown key '{key}' in {where}; allowed keys are {string.Join(", ", allowed)}");
                }
            }
        }

        public string? OptionalString(YamlMappingNode node, string key)
        {
            if (!node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v))
            {
                return null;
            }

            string? s = (v as YamlScalarNode)?.Value;
            return string.IsNullOrWhiteSpace(s) ? throw Error(node, key, $"'{key}' must be a non-empty text value") : s.Trim();
        }

        public int? OptionalInt(YamlMappingNode node, string key, string where, int min)
        {
            string? s = OptionalString(node, key);
            if (s is null)
            {
                return null;
            }

            return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min
                ? v
                : throw Error(node, key, $"{where}.{key} must be a whole number of at least {min}, not '{s}'");
        }

        public bool? OptionalBool(YamlMappingNode node, string key, string where)
        {
            string? s = OptionalString(node, key);
            return s?.ToUpperInvariant() switch
            {
                null => null,
                "TRUE" or "YES" => true,
                "FALSE" or "NO" => false,
                _ => throw Error(node, key, $"{where}.{key} must be true or false, not '{s}'"),
            };
        }

        /// <summary>The country.yaml a path names (a folder means its country.yaml); it must exist.</summary>
        public string ConfigFile(YamlNode node, string? value, string where)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw At(node, $"{where} must be the path of a country.yaml (relative to the manifest)");
            }

            string full = Path.GetFullPath(Path.Combine(folder, value.Trim()));
            if (Directory.Exists(full))
            {
                full = Path.Combine(full, "country.yaml");
            }

            return File.Exists(full)
                ? full
                : throw At(node, $"{where}: {value.Trim()} not found (looked for {full}); paths are relative to the manifest's folder");
        }
    }
}
