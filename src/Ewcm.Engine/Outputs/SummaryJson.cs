using System.Text.Encodings.Web;
using System.Text.Json;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// summary.json: national figures, per-level totals, inputs with hashes, settings and warnings.
/// Deterministic: no timings or machine details (those go to run_log.json), fixed key order.
/// </summary>
public static class SummaryJson
{
    public const string Method =
        "Exact cell-area fractions: a cell partly inside a polygon counts by the covered fraction of its area; " +
        "cells crossed by both an admin edge and a coverage edge are clipped exactly. " +
        "'At least T' = inside the union over operators of technology T or newer. " +
        "SDG 9.c.1 = the largest single operator's own 'at least T' population.";

    public sealed record InputFile(string Role, string RelativePath, string Sha256);

    public sealed record LevelFile(string Level, string FileName);

    public static void Write(string path, CountryConfig config, OverlayModel model, BandResult totals,
        IReadOnlyList<InputFile> inputs, IReadOnlyList<LevelFile> levelFiles, IReadOnlyList<string> rasterFiles,
        IReadOnlyList<string> warnings, string crsDescription, Action<Utf8JsonWriter>? blankZones = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(levelFiles);
        ArgumentNullException.ThrowIfNull(rasterFiles);
        ArgumentNullException.ThrowIfNull(warnings);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("ewcm_version", EngineInfo.Version);
        w.WriteString("iso3", config.Iso3);
        w.WriteString("name", config.Name);
        w.WriteString("method", Method);

        var g = model.Grid;
        w.WriteStartObject("grid");
        w.WriteString("crs", crsDescription);
        w.WriteNumber("columns", g.Columns);
        w.WriteNumber("rows", g.Rows);
        w.WriteStartArray("geotransform");
        foreach (double v in g.ToGeoTransform())
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("population");
        w.WriteString("kind", config.Population.Kind == PopulationKind.Counts ? "counts" : "density");
        w.WriteNumber("total", People(totals.ValidPopulation));
        w.WriteNumber("valid_cells", totals.ValidCells);
        w.WriteEndObject();

        var national = new double[1 + model.Masks.Count];
        national[0] = totals.ValidPopulation;
        Array.Copy(totals.NationalCovered, 0, national, 1, model.Masks.Count);
        var stats = UnitStats.From(model, national, 0);
        w.WriteStartObject("national");
        w.WriteNumber("population", People(stats.Total));
        w.WriteNumber("uncovered", People(stats.Uncovered));
        w.WriteNumber("pct_uncovered", Pct(stats.Uncovered, stats.Total));
        w.WriteStartArray("levels");
        for (int t = 0; t < model.TechnologyLevels.Count; t++)
        {
            w.WriteStartObject();
            w.WriteString("technology", $"at least {TechnologyNames.Label(model.TechnologyLevels[t])}");
            w.WriteNumber("covered", People(stats.Covered[t]));
            w.WriteNumber("pct_covered", Pct(stats.Covered[t], stats.Total));
            w.WriteNumber("sdg9c1", People(stats.Sdg[t]));
            w.WriteNumber("sdg9c1_pct", Pct(stats.Sdg[t], stats.Total));
            w.WriteString("sdg9c1_operator", stats.SdgOperator[t]);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("operators");
        for (int o = 0; o < model.Operators.Count; o++)
        {
            w.WriteStartObject();
            w.WriteString("operator", model.Operators[o]);
            for (int t = 0; t < model.TechnologyLevels.Count; t++)
            {
                string s = TechnologyNames.Suffix(model.TechnologyLevels[t]);
                w.WriteNumber($"covered_{s}", People(stats.PerOperator[o][t]));
                w.WriteNumber($"pct_{s}", Pct(stats.PerOperator[o][t], stats.Total));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("admin_levels");
        for (int l = 0; l < model.Levels.Count; l++)
        {
            AdminLevel lv = model.Levels[l];
            double inUnits = 0;
            for (int u = 0; u < lv.Units.Count; u++)
            {
                inUnits += totals.Units[l][u * totals.Stride];
            }

            w.WriteStartObject();
            w.WriteString("level", lv.Name);
            w.WriteString("source", Relative(config, lv.SourceDescription));
            w.WriteString("file", levelFiles[l].FileName);
            w.WriteNumber("units", lv.Units.Count);
            w.WriteNumber("population_in_units", People(inUnits));
            // People the boundaries miss (e.g. on a coast the polygons cut off): reported, never dropped.
            w.WriteNumber("population_outside_units", People(totals.OutsideAdmin[l]));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteHazards(w, config, model, totals);

        if (blankZones is not null)
        {
            w.WritePropertyName("blank_zones");
            blankZones(w);
        }

        w.WriteStartArray("rasters");
        foreach (string r in rasterFiles)
        {
            w.WriteStringValue(r);
        }

        w.WriteEndArray();

        w.WriteStartArray("inputs");
        foreach (InputFile f in inputs)
        {
            w.WriteStartObject();
            w.WriteString("role", f.Role);
            w.WriteString("path", f.RelativePath);
            w.WriteString("sha256", f.Sha256);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartObject("diagnostics");
        w.WriteNumber("exact_cells", totals.ExactCells);
        w.WriteNumber("admin_overlap_cells", totals.OverlapCells);
        w.WriteEndObject();

        w.WriteStartArray("warnings");
        foreach (string s in warnings)
        {
            w.WriteStringValue(Relative(config, s));
        }

        w.WriteEndArray();
        w.WriteStartArray("credits");
        foreach (string s in config.Credits)
        {
            w.WriteStringValue(s);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>National people exposed to each hazard, and exposed and outside every coverage layer (only when hazards are given).</summary>
    private static void WriteHazards(Utf8JsonWriter w, CountryConfig config, OverlayModel model, BandResult totals)
    {
        if (model.Hazards.Count == 0)
        {
            return;
        }

        w.WriteStartArray("hazards");
        for (int h = 0; h < model.Hazards.Count; h++)
        {
            Hazard hazard = model.Hazards[h];
            w.WriteStartObject();
            w.WriteString("name", hazard.Name);
            w.WriteString("label", hazard.Label);
            w.WriteString("source", Relative(config, hazard.Source));
            w.WriteNumber("people_exposed", People(totals.NationalHazard[2 * h]));
            w.WriteNumber("people_exposed_uncovered", People(totals.NationalHazard[(2 * h) + 1]));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Paths relative to country.yaml, so that summaries compare across machines.</summary>
    internal static string Relative(CountryConfig config, string text)
    {
        string folder = Path.GetDirectoryName(config.SourcePath)! + Path.DirectorySeparatorChar;
        return text.Replace(folder, string.Empty, StringComparison.Ordinal);
    }

    private static double People(double v) => Math.Round(v, 6);

    private static double Pct(double part, double whole) => whole > 0 ? Math.Round(100 * part / whole, 4) : 0;
}
