using Ewcm.Engine.Batch;
using Ewcm.Engine.Diagnostics;

namespace Ewcm.Engine.Tests.Batch;

/// <summary>manifest.yaml: what it accepts, and the errors (with the line) for what it does not.</summary>
public sealed class ManifestTests : IDisposable
{
    private readonly BatchSandbox _box = BatchSandbox.FourCountries();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Reads_paths_folders_config_mappings_and_inline_countries_in_order()
    {
        BatchManifest manifest = _box.Manifest();

        Assert.Equal(["AAA", "BBB", "CCC", "DDD"], manifest.Entries.Select(e => e.Id));
        Assert.Equal([0, 1, 2, 3], manifest.Entries.Select(e => e.Index));
        Assert.All(manifest.Entries, e => Assert.Null(e.LoadError));
        Assert.Equal(_box.In("bbb", "country.yaml"), manifest.Entries[1].ConfigPath);
        Assert.Null(manifest.Entries[3].ConfigPath);
        // Inline paths are relative to the manifest.
        Assert.Equal(_box.In("ddd", "pop.tif"), manifest.Entries[3].Config!.Population.Path);
        Assert.All(manifest.Entries, e => Assert.False(e.Settings.WriteRasters));
        Assert.Equal(64, manifest.Sha256.Length);
    }

    [Fact]
    public void Entry_settings_override_the_defaults_and_shared_credits_are_added()
    {
        _box.WriteManifest("""
            defaults: { parallel: 3, rasters: false, band_height: 64, credits: [ "Shared credit" ] }
            countries:
              - { id: A1, config: aaa/country.yaml, rasters: true }
              - { id: A2, config: aaa/country.yaml, band_height: 8 }
            """);

        BatchManifest manifest = _box.Manifest();

        Assert.Equal(3, manifest.Parallel);
        Assert.Equal(new BatchSettings(true, 64), manifest.Entries[0].Settings);
        Assert.Equal(new BatchSettings(false, 8), manifest.Entries[1].Settings);
        Assert.Equal(["Shared credit"], manifest.Entries[0].Config!.Credits);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_the_key_the_line_and_the_allowed_keys()
    {
        _box.WriteManifest("""
            countries:
              - aaa/country.yaml
              - { config: bbb/country.yaml, raster: false }
            """);

        var e = Assert.Throws<ConfigException>(_box.Manifest);
        Assert.Equal($"{_box.ManifestPath}, line 3: unknown key 'raster' in countries[1]; allowed keys are id, config, country, rasters, band_height.", e.Message);
    }

    [Fact]
    public void An_unknown_top_level_or_defaults_key_is_an_error()
    {
        _box.WriteManifest("defaults: { paralel: 2 }\ncountries: [ aaa/country.yaml ]\n");
        Assert.Contains("line 1: unknown key 'paralel' in defaults; allowed keys are parallel, rasters, band_height, credits.",
            Assert.Throws<ConfigException>(_box.Manifest).Message, StringComparison.Ordinal);

        _box.WriteManifest("countries: [ aaa/country.yaml ]\noutput: out\n");
        Assert.Contains("line 2: unknown key 'output' in the top level; allowed keys are defaults, countries.",
            Assert.Throws<ConfigException>(_box.Manifest).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_country_file_is_an_error_with_its_line_and_where_it_was_looked_for()
    {
        _box.WriteManifest("""
            countries:
              - aaa/country.yaml
              - zzz/country.yaml
            """);

        var e = Assert.Throws<ConfigException>(_box.Manifest);
        Assert.Equal($"{_box.ManifestPath}, line 3: countries[1]: zzz/country.yaml not found (looked for {_box.In("zzz", "country.yaml")}); paths are relative to the manifest's folder.", e.Message);
    }

    [Fact]
    public void A_duplicate_country_is_an_error_naming_both_entries()
    {
        _box.WriteManifest("""
            countries:
              - aaa/country.yaml
              - bbb/country.yaml
              - { config: aaa }
            """);

        var e = Assert.Throws<ConfigException>(_box.Manifest);
        Assert.Equal($"{_box.ManifestPath}, line 4: countries[2]: the id 'AAA' is already used by countries[0] (line 2); every country needs its own id, which names its output folder: add id: (e.g. id: AAA-2) to one of them.", e.Message);
    }

    [Fact]
    public void The_same_country_twice_with_its_own_ids_is_fine_but_ids_differing_only_in_case_are_not()
    {
        _box.WriteManifest("countries:\n  - aaa\n  - { id: AAA-coarse, config: aaa, band_height: 4 }\n");
        Assert.Equal(["AAA", "AAA-coarse"], _box.Manifest().Entries.Select(e => e.Id));

        _box.WriteManifest("countries:\n  - { id: x1, config: aaa }\n  - { id: X1, config: bbb }\n");
        Assert.Contains("the id 'X1' is already used by countries[0] (line 2)", Assert.Throws<ConfigException>(_box.Manifest).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_values_are_errors_with_the_fix()
    {
        (string Yaml, string Message)[] cases =
        [
            ("countries: []", "line 1: countries must be a non-empty list; each item is a path to a country.yaml, or a mapping with config: or country: (key 'countries')."),
            ("defaults: { rasters: maybe }\ncountries: [ aaa ]", "line 1: defaults.rasters must be true or false, not 'maybe' (key 'rasters')."),
            ("defaults: { parallel: 0 }\ncountries: [ aaa ]", "line 1: defaults.parallel must be a whole number of at least 1, not '0' (key 'parallel')."),
            ("countries:\n  - { id: '../up', config: aaa }", "line 2: countries[0].id '../up' names a folder: use 1 to 64 letters, digits, '-' or '_', starting with a letter or digit (key 'id')."),
            ("countries:\n  - { id: X }", "line 2: countries[0]: give exactly one of config (the path of a country.yaml) or country (the country's keys inline)."),
            ("defaults: {}\n", "line 1: missing key 'countries' in the top level: list the countries, e.g. countries: [ sle/country.yaml ]."),
            ("countries: [ aaa\n", "not valid YAML at line"),
        ];
        foreach ((string yaml, string message) in cases)
        {
            _box.WriteManifest(yaml);
            var e = Assert.Throws<ConfigException>(_box.Manifest);
            Assert.True(e.Message.StartsWith(_box.ManifestPath, StringComparison.Ordinal) && e.Message.Contains(message, StringComparison.Ordinal),
                $"for {yaml}: {e.Message}");
        }
    }

    [Fact]
    public void A_missing_manifest_says_so()
    {
        var e = Assert.Throws<ConfigException>(() => BatchManifest.Load(_box.In("nothing.yaml")));
        Assert.Contains("nothing.yaml: file not found. Give the path of a batch manifest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_country_yaml_is_that_countrys_failure_not_the_manifests()
    {
        File.WriteAllText(_box.In("bbb", "country.yaml"), "iso3: BBB\nname: Broken\npopulation: { path: pop.tif, kind: people }\n");
        _box.WriteManifest("countries: [ aaa, bbb/country.yaml, { config: bbb, id: B2 } ]\n");

        BatchManifest manifest = _box.Manifest();

        Assert.Equal(["AAA", "BBB", "B2"], manifest.Entries.Select(e => e.Id));
        Assert.Null(manifest.Entries[0].LoadError);
        Assert.Null(manifest.Entries[1].Config);
        Assert.Contains("population.kind 'people' is not known", manifest.Entries[1].LoadError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_country_with_a_wrong_key_fails_alone_naming_the_manifest_line()
    {
        _box.WriteManifest("""
            countries:
              - aaa
              - id: BAD
                country:
                  iso3: BAD
                  name: Bad
                  populaton: { path: x.tif }
            """);

        BatchEntry bad = _box.Manifest().Entries[1];

        Assert.Equal($"{_box.ManifestPath}, line 7: unknown key 'populaton' in countries[1].country; allowed keys are iso3, name, population, admin, coverage, credits, hazards, blank_zones, places.", bad.LoadError);
    }
}
