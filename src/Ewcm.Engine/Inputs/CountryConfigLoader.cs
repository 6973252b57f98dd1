using System.Globalization;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Overlay;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// Reads and validates country.yaml. Every unknown key or wrong value is an error naming the file,
/// the line, the key and what is expected: a typo must never be silently ignored.
/// </summary>
public static class CountryConfigLoader
{
    private static readonly string[] TopKeys = ["iso3", "name", "population", "admin", "coverage", "credits", "hazards", "blank_zones", "places"];
    private static readonly string[] PopulationKeys = ["path", "kind", "nodata"];
    private static readonly string[] AdminKeys = ["level", "path", "layer", "id_field", "name_field"];
    private static readonly string[] CoverageKeys = ["path", "layer", "technology", "operator", "operator_field", "min_signal"];
    private static readonly string[] HazardKeys = ["name", "label", "raster", "polygons"];
    private static readonly string[] HazardRasterKeys = ["path", "band", "threshold", "direction"];
    private static readonly string[] HazardPolygonKeys = ["path", "layer", "where"];
    private static readonly string[] BlankZoneKeys = ["enabled", "connectivity", "min_people", "min_cell_people", "min_cell_density", "simplify"];
    private static readonly string[] PlacesKeys = ["path", "layer", "name_field"];
    private static readonly string[] RasterExtensions = [".tif", ".tiff", ".vrt", ".img", ".asc", ".nc", ".jp2"];

    public static CountryConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigException($"{path}: file not found. Give the path of a country.yaml (see data/samples/sle/country.yaml).");
        }

        YamlMappingNode root = ReadRoot(path, full);
        return Read(root, new Context(path, Path.GetDirectoryName(full)!), full, "the top level");
    }

    /// <summary>
    /// Reads a country given inline, as a mapping inside another YAML file (a batch manifest):
    /// the same keys and checks as country.yaml, paths relative to <paramref name="sourcePath"/>'s folder,
    /// errors naming <paramref name="displayPath"/>, the line in that file and <paramref name="where"/>.
    /// </summary>
    internal static CountryConfig LoadMapping(YamlMappingNode node, string displayPath, string sourcePath, string where)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(sourcePath);
        string full = Path.GetFullPath(sourcePath);
        return Read(node, new Context(displayPath, Path.GetDirectoryName(full)!), full, where);
    }

    private static CountryConfig Read(YamlMappingNode root, Context ctx, string full, string where)
    {
        ctx.CheckKeys(root, TopKeys, where);
        string iso3 = ctx.RequiredString(root, "iso3", where);
        if (iso3.Length != 3 || !iso3.All(char.IsAsciiLetter))
        {
            throw ctx.Error(root, "iso3", $"'{iso3}' is not an ISO 3166-1 alpha-3 code; use three letters such as SLE or VUT");
        }

        string name = ctx.RequiredString(root, "name", where);
        PopulationInput population = ReadPopulation(ctx, ctx.RequiredMapping(root, "population", where));
        (IReadOnlyList<AdminInput> admin, bool single) = ReadAdmin(ctx, root, where);
        IReadOnlyList<CoverageInput> coverage = ReadCoverage(ctx, root, where);
        IReadOnlyList<string> credits = ReadCredits(ctx, root);
        IReadOnlyList<HazardInput> hazards = ReadHazards(ctx, root);
        return new CountryConfig(full, iso3.ToUpperInvariant(), name, population, admin, coverage)
        {
            SingleAdminLevel = single,
            Credits = credits,
            Hazards = hazards,
            BlankZones = ReadBlankZones(ctx, root),
            Places = ReadPlaces(ctx, root),
        };
    }

    /// <summary>Parses the file into its top-level mapping; any syntax error becomes a ConfigException with its position.</summary>
    private static YamlMappingNode ReadRoot(string path, string full)
    {
        using var reader = new StreamReader(full);
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
            // YamlDotNet fails this way, without a position, on an unclosed flow mapping or sequence
            // followed by more lines (e.g. "population: { path: pop.tif"): report where its scanner stopped.
            Mark at = scanner.CurrentPosition;
            throw new ConfigException($"{path}: not valid YAML at line {at.Line}, column {at.Column}: a '{{' or '[' before this point is not closed. Close it on the line where it opens.", e);
        }

        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            ? root
            : throw new ConfigException($"{path}: expected a YAML mapping with the keys {string.Join(", ", TopKeys)}.");
    }

    private static List<string> ReadCredits(Context ctx, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("credits"), out YamlNode? node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode { Value.Length: > 0 }))
        {
            throw ctx.Error(root, "credits", "credits must be a list of texts (data sources and licences, copied into summary.json)");
        }

        return list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
    }

    private static BlankZoneSettings ReadBlankZones(Context ctx, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("blank_zones"), out YamlNode? value))
        {
            return new BlankZoneSettings();
        }

        if (value is not YamlMappingNode node)
        {
            throw ctx.Error(root, "blank_zones", "blank_zones must be a mapping such as { connectivity: 8, min_people: 100 }");
        }

        ctx.CheckKeys(node, BlankZoneKeys, "blank_zones");
        var defaults = new BlankZoneSettings();
        string? enabledText = ctx.OptionalString(node, "enabled");
        bool enabled = enabledText switch
        {
            null => true,
            "true" or "yes" => true,
            "false" or "no" => false,
            _ => throw ctx.Error(node, "enabled", $"blank_zones.enabled must be true or false, not '{enabledText}'"),
        };
        double connectivity = ctx.OptionalNumber(node, "connectivity", "blank_zones") ?? defaults.Connectivity;
        if (connectivity is not (4 or 8))
        {
            throw ctx.Error(node, "connectivity", $"blank_zones.connectivity must be 8 (cells touching at a corner join) or 4 (only cells sharing an edge), not {connectivity.ToString(CultureInfo.InvariantCulture)}");
        }

        double NonNegative(string key, double fallback)
        {
            double v = ctx.OptionalNumber(node, key, "blank_zones") ?? fallback;
            return v >= 0 ? v : throw ctx.Error(node, key, $"blank_zones.{key} must be 0 or more, not {v.ToString(CultureInfo.InvariantCulture)}");
        }

        double simplify = ctx.OptionalNumber(node, "simplify", "blank_zones") ?? defaults.Simplify;
        if (simplify < 1 || simplify > 1024 || simplify != Math.Floor(simplify))
        {
            throw ctx.Error(node, "simplify", "blank_zones.simplify must be a whole number of cells from 1 (outlines on the cells' own edges) "
                + $"to 1024 (outlines on blocks of that many × that many cells), not {simplify.ToString(CultureInfo.InvariantCulture)}");
        }

        return new BlankZoneSettings(enabled, (int)connectivity, NonNegative("min_people", defaults.MinPeople),
            NonNegative("min_cell_people", defaults.MinCellPeople), NonNegative("min_cell_density", defaults.MinCellDensity), (int)simplify);
    }

    private static PlacesInput? ReadPlaces(Context ctx, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("places"), out YamlNode? value))
        {
            return null;
        }

        if (value is not YamlMappingNode node)
        {
            throw ctx.Error(root, "places", "places must be a mapping such as { path: places.csv, name_field: name }");
        }

        ctx.CheckKeys(node, PlacesKeys, "places");
        return new PlacesInput(ctx.PathValue(node, "path", "places"), ctx.OptionalString(node, "layer"), ctx.RequiredString(node, "name_field", "places"));
    }

    private static PopulationInput ReadPopulation(Context ctx, YamlMappingNode node)
    {
        ctx.CheckKeys(node, PopulationKeys, "population");
        string path = ctx.PathValue(node, "path", "population");
        string kindText = ctx.OptionalString(node, "kind") ?? "counts";
        PopulationKind kind = kindText.ToUpperInvariant() switch
        {
            "COUNTS" => PopulationKind.Counts,
            "DENSITY" => PopulationKind.Density,
            _ => throw ctx.Error(node, "kind", $"population.kind '{kindText}' is not known; use counts (people per cell) or density (people per km²)"),
        };
        double? nodata = ctx.OptionalNumber(node, "nodata", "population");
        return new PopulationInput(path, kind, nodata);
    }

    private static (IReadOnlyList<AdminInput>, bool) ReadAdmin(Context ctx, YamlMappingNode root, string top)
    {
        YamlNode node = ctx.Required(root, "admin", top);
        if (node is YamlMappingNode single)
        {
            return ([ReadAdminLevel(ctx, single, "admin", levelRequired: false)], true);
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw ctx.Error(root, "admin", "admin must be a mapping (one level) or a non-empty list of levels, each with level, path, id_field and name_field");
        }

        var levels = new List<AdminInput>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode m)
            {
                throw ctx.At(list.Children[i], $"admin[{i}] must be a mapping with level, path, layer, id_field, name_field");
            }

            AdminInput level = ReadAdminLevel(ctx, m, $"admin[{i}]", levelRequired: true);
            if (levels.Any(l => string.Equals(l.Level, level.Level, StringComparison.OrdinalIgnoreCase)))
            {
                throw ctx.At(m, $"admin[{i}]: level '{level.Level}' is given twice; each level needs its own name");
            }

            levels.Add(level);
        }

        return (levels, false);
    }

    private static AdminInput ReadAdminLevel(Context ctx, YamlMappingNode node, string where, bool levelRequired)
    {
        ctx.CheckKeys(node, AdminKeys, where);
        string level = levelRequired ? ctx.RequiredString(node, "level", where) : ctx.OptionalString(node, "level") ?? "admin";
        if (!level.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
        {
            throw ctx.Error(node, "level", $"{where}.level '{level}' is used in file names; use letters, digits, '_' or '-'");
        }

        return new AdminInput(level, ctx.PathValue(node, "path", where), ctx.OptionalString(node, "layer"),
            ctx.RequiredString(node, "id_field", where), ctx.RequiredString(node, "name_field", where));
    }

    private static List<CoverageInput> ReadCoverage(Context ctx, YamlMappingNode root, string top)
    {
        YamlNode node = ctx.Required(root, "coverage", top);
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw ctx.Error(root, "coverage", "coverage must be a non-empty list of layers, each with path and technology");
        }

        var result = new List<CoverageInput>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            string where = $"coverage[{i}]";
            if (list.Children[i] is not YamlMappingNode m)
            {
                throw ctx.At(list.Children[i], $"{where} must be a mapping with path, technology and operator or operator_field");
            }

            ctx.CheckKeys(m, CoverageKeys, where);
            string path = ctx.PathValue(m, "path", where);
            string techText = ctx.RequiredString(m, "technology", where);
            if (!TechnologyNames.TryParse(techText, out Technology tech))
            {
                throw ctx.Error(m, "technology", $"{where}.technology '{techText}' is not known; use 2G, 3G, 4G or 5G");
            }

            string? op = ctx.OptionalString(m, "operator");
            string? opField = ctx.OptionalString(m, "operator_field");
            double? minSignal = ctx.OptionalNumber(m, "min_signal", where);
            bool raster = RasterExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
            if ((op is null) == (opField is null))
            {
                throw ctx.At(m, $"{where}: give exactly one of operator (a name for the whole layer) or operator_field (the attribute holding it)");
            }

            if (raster)
            {
                if (minSignal is null)
                {
                    throw ctx.At(m, $"{where}: {Path.GetFileName(path)} is a raster, so min_signal (the threshold, e.g. -105 dBm for 3G) is required");
                }

                if (op is null)
                {
                    throw ctx.At(m, $"{where}: a signal raster has no attributes; name its operator with operator: instead of operator_field");
                }

                if (ctx.OptionalString(m, "layer") is not null)
                {
                    throw ctx.Error(m, "layer", $"{where}: layer applies to vector files only; remove it for the raster {Path.GetFileName(path)}");
                }
            }
            else if (minSignal is not null)
            {
                throw ctx.Error(m, "min_signal", $"{where}: min_signal applies to signal rasters only; {Path.GetFileName(path)} is read as polygons");
            }

            result.Add(new CoverageInput(path, ctx.OptionalString(m, "layer"), tech, op, opField, minSignal));
        }

        return result;
    }

    /// <summary>
    /// hazards: an optional list of { name, label, raster: { path, band, threshold, direction } } or
    /// { name, label, polygons: { path, layer, where } }.
    /// </summary>
    private static List<HazardInput> ReadHazards(Context ctx, YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("hazards"), out YamlNode? node))
        {
            return [];
        }

        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            throw ctx.Error(root, "hazards", "hazards must be a non-empty list of layers, each with name and raster: or polygons:");
        }

        var result = new List<HazardInput>();
        for (int i = 0; i < list.Children.Count; i++)
        {
            string where = $"hazards[{i}]";
            if (list.Children[i] is not YamlMappingNode m)
            {
                throw ctx.At(list.Children[i], $"{where} must be a mapping with name and raster: or polygons:");
            }

            ctx.CheckKeys(m, HazardKeys, where);
            string name = ctx.RequiredString(m, "name", where);
            if (name.Length == 0 || !char.IsAsciiLetterLower(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                throw ctx.Error(m, "name", $"{where}.name '{name}' is used in column names (pop_exposed_<name>); use lower-case letters, digits and '_', starting with a letter, e.g. flood");
            }

            if (result.Any(h => h.Name == name))
            {
                throw ctx.Error(m, "name", $"{where}: the hazard name '{name}' is given twice; each hazard needs its own name");
            }

            string label = ctx.OptionalString(m, "label") ?? name;
            bool hasRaster = m.Children.ContainsKey(new YamlScalarNode("raster"));
            bool hasPolygons = m.Children.ContainsKey(new YamlScalarNode("polygons"));
            if (hasRaster == hasPolygons)
            {
                throw ctx.At(m, hasRaster
                    ? $"{where}: both raster: and polygons: are given, so it is ambiguous which to use; keep one (a hazard with two sources is two hazards)"
                    : $"{where}: give the hazard's source, either raster: {{ path: flood.tif, threshold: 0.5 }} or polygons: {{ path: cyclone.gpkg, layer: ... }}");
            }

            result.Add(hasRaster ? ReadHazardRaster(ctx, m, name, label, where) : ReadHazardPolygons(ctx, m, name, label, where));
        }

        return result;
    }

    private static HazardInput ReadHazardRaster(Context ctx, YamlMappingNode parent, string name, string label, string where)
    {
        string at = $"{where}.raster";
        YamlMappingNode m = ctx.RequiredMapping(parent, "raster", where);
        ctx.CheckKeys(m, HazardRasterKeys, at);
        string path = ctx.PathValue(m, "path", at);
        if (!RasterExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
        {
            throw ctx.Error(m, "path", $"{at}: {Path.GetFileName(path)} is not a raster ({string.Join(", ", RasterExtensions)}); give vector files under polygons: instead");
        }

        double threshold = ctx.OptionalNumber(m, "threshold", at)
            ?? throw ctx.At(m, $"{at}: threshold is required: the hazard is where the raster's value is at least it (e.g. threshold: 0.5 for a flood depth of 0.5 m)");
        double band = ctx.OptionalNumber(m, "band", at) ?? 1;
        if (band < 1 || band != Math.Floor(band) || band > int.MaxValue)
        {
            throw ctx.Error(m, "band", $"{at}.band must be a whole number from 1 (the first band)");
        }

        string direction = ctx.OptionalString(m, "direction") ?? "above";
        bool below = direction.ToUpperInvariant() switch
        {
            "ABOVE" => false,
            "BELOW" => true,
            _ => throw ctx.Error(m, "direction", $"{at}.direction '{direction}' is not known; use above (hazard where value ≥ threshold, the default) or below (value ≤ threshold)"),
        };
        return new HazardInput(name, label, path, null, null, (int)band, threshold, below);
    }

    private static HazardInput ReadHazardPolygons(Context ctx, YamlMappingNode parent, string name, string label, string where)
    {
        string at = $"{where}.polygons";
        YamlMappingNode m = ctx.RequiredMapping(parent, "polygons", where);
        ctx.CheckKeys(m, HazardPolygonKeys, at);
        string path = ctx.PathValue(m, "path", at);
        if (RasterExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
        {
            throw ctx.Error(m, "path", $"{at}: {Path.GetFileName(path)} is a raster; give it under raster: with a threshold instead");
        }

        return new HazardInput(name, label, path, ctx.OptionalString(m, "layer"), ctx.OptionalString(m, "where"), 1, null, false);
    }

    /// <summary>Error-reporting helpers bound to one file.</summary>
    private sealed class Context(string displayPath, string folder)
    {
        public ConfigException At(YamlNode node, string message) =>
            new($"{displayPath}, line {node.Start.Line}: {message}.");

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

        public YamlNode Required(YamlMappingNode node, string key, string where) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v)
                ? v
                : throw At(node, $"missing key '{key}' in {where}");

        public YamlMappingNode RequiredMapping(YamlMappingNode node, string key, string where) =>
            Required(node, key, where) as YamlMappingNode
                ?? throw Error(node, key, $"'{key}' must be a mapping such as {{ path: pop.tif, kind: counts }}");

        public string RequiredString(YamlMappingNode node, string key, string where)
        {
            YamlNode v = Required(node, key, where);
            string? s = (v as YamlScalarNode)?.Value;
            return string.IsNullOrWhiteSpace(s) ? throw Error(node, key, $"'{key}' in {where} must be a non-empty text value") : s.Trim();
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

        public double? OptionalNumber(YamlMappingNode node, string key, string where)
        {
            string? s = OptionalString(node, key);
            if (s is null)
            {
                return null;
            }

            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? d
                : throw Error(node, key, $"{where}.{key} must be a number, not '{s}'");
        }

        public string PathValue(YamlMappingNode node, string key, string where)
        {
            string p = RequiredString(node, key, where);
            return Path.GetFullPath(Path.Combine(folder, p));
        }
    }
}
