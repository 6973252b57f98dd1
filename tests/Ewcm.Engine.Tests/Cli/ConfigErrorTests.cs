using Ewcm.Engine.Tests.Pipeline;

namespace Ewcm.Engine.Tests.Cli;

/// <summary>
/// Mistakes in country.yaml: the error names the file, the line and the key, says what is wrong and what
/// is allowed, and nothing is written. The default country.yaml has iso3 on line 1, population on line 3,
/// admin on line 4 and the first coverage entry on line 6.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class ConfigErrorTests
{
    /// <summary>A sandbox with a previous good result, then country.yaml as <paramref name="edit"/> leaves it.</summary>
    private static RunSandbox Broken(Action<RunSandbox> edit)
    {
        RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        edit(box);
        box.WriteConfig();
        return box;
    }

    [Fact]
    public void An_unknown_key_is_named_with_the_allowed_keys()
    {
        using RunSandbox box = Broken(b => b.Population = "{ path: pop.tif, kind: counts, nodta: -99999 }");

        box.ExpectRefused($"{box.ConfigPath}, line 3: unknown key 'nodta' in population; allowed keys are path, kind, nodata.");
    }

    [Fact]
    public void An_unknown_key_in_a_coverage_entry_is_named_with_the_allowed_keys()
    {
        using RunSandbox box = Broken(b => b.Coverage[0] = "{ path: coverage.gpkg, layer: cov_3g, technology: 3G, operater: OpA }");

        box.ExpectRefused($"{box.ConfigPath}, line 6: unknown key 'operater' in coverage[0]; allowed keys are path, layer, technology, operator, operator_field, min_signal.");
    }

    [Fact]
    public void An_unknown_top_level_key_is_named_with_the_allowed_keys()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "credit: WorldPop\n");

        box.ExpectRefused($"{box.ConfigPath}, line 7: unknown key 'credit' in the top level; allowed keys are iso3, name, population, admin, coverage, credits, hazards, blank_zones, places.");
    }

    [Fact]
    public void An_unknown_technology_lists_the_known_ones()
    {
        using RunSandbox box = Broken(b => b.Coverage[0] = "{ path: coverage.gpkg, layer: cov_3g, technology: 6G, operator_field: operator }");

        box.ExpectRefused($"{box.ConfigPath}, line 6: coverage[0].technology '6G' is not known; use 2G, 3G, 4G or 5G (key 'technology').");
    }

    [Fact]
    public void An_unknown_population_kind_lists_the_known_ones()
    {
        using RunSandbox box = Broken(b => b.Population = "{ path: pop.tif, kind: people }");

        box.ExpectRefused($"{box.ConfigPath}, line 3: population.kind 'people' is not known; use counts (people per cell) or density (people per km²) (key 'kind').");
    }

    [Theory]
    [InlineData("{ path: coverage.gpkg, layer: cov_3g, technology: 3G, operator: OpA, operator_field: operator }")]
    [InlineData("{ path: coverage.gpkg, layer: cov_3g, technology: 3G }")]
    public void Exactly_one_of_operator_and_operator_field_is_required(string coverage)
    {
        using RunSandbox box = Broken(b => b.Coverage[0] = coverage);

        box.ExpectRefused($"{box.ConfigPath}, line 6: coverage[0]: give exactly one of operator (a name for the whole layer) or operator_field (the attribute holding it).");
    }

    [Fact]
    public void A_raster_coverage_without_min_signal_asks_for_the_threshold()
    {
        using RunSandbox box = Broken(b => b.Coverage[0] = "{ path: signal.tif, technology: 3G, operator: OpX }");

        box.ExpectRefused($"{box.ConfigPath}, line 6: coverage[0]: signal.tif is a raster, so min_signal (the threshold, e.g. -105 dBm for 3G) is required.");
    }

    [Fact]
    public void A_min_signal_that_is_not_a_number_is_refused()
    {
        using RunSandbox box = Broken(b => b.Coverage[0] = "{ path: signal.tif, technology: 3G, operator: OpX, min_signal: strong }");

        box.ExpectRefused($"{box.ConfigPath}, line 6: coverage[0].min_signal must be a number, not 'strong' (key 'min_signal').");
    }

    [Theory]
    [InlineData("TSTX")]
    [InlineData("T5T")]
    public void An_iso3_that_is_not_three_letters_is_refused(string iso3)
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteConfig(File.ReadAllText(box.ConfigPath).Replace($"iso3: {RunSandbox.Iso3}", $"iso3: {iso3}", StringComparison.Ordinal));

        box.ExpectRefused($"{box.ConfigPath}, line 1: '{iso3}' is not an ISO 3166-1 alpha-3 code; use three letters such as SLE or VUT (key 'iso3').");
    }

    [Fact]
    public void An_unclosed_brace_is_invalid_yaml_with_a_position()
    {
        // YamlDotNet reports this one with an InvalidOperationException rather than a YamlException.
        using RunSandbox box = Broken(b => b.Population = "{ path: pop.tif, kind: counts");

        box.ExpectRefused($"{box.ConfigPath}: not valid YAML at line 4, column 1: a '{{' or '[' before this point is not closed");
    }

    [Fact]
    public void An_unclosed_quote_is_invalid_yaml_with_a_position()
    {
        using RunSandbox box = Broken(b => b.Population = "{ path: 'pop.tif, kind: counts }");

        box.ExpectRefused($"{box.ConfigPath}: not valid YAML at line 3, column ", "quoted scalar");
    }

    [Fact]
    public void A_key_given_twice_is_refused()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "iso3: TSU\n");

        box.ExpectRefused($"{box.ConfigPath}: not valid YAML at line 7", "Duplicate key");
    }
}
