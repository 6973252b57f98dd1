using Ewcm.Engine.Outputs;
using Ewcm.Engine.Tests.Cli;
using Ewcm.Engine.Tests.Pipeline;

namespace Ewcm.Engine.Tests.Hazards;

/// <summary>
/// Mistakes in the hazards: key or its files: the error names the file, the line or layer, the key and
/// the fix, and nothing is written. In the sandbox's country.yaml, hazards: is line 7 and its first entry line 8.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class HazardConfigErrorTests
{
    /// <summary>A sandbox with a good previous result, a flood.tif (EPSG:4326) and a hazard.gpkg, then these hazard entries.</summary>
    private static RunSandbox Broken(params string[] hazards)
    {
        RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        FixtureFiles.WriteRaster(box.Input("flood.tif"), RunSandbox.Grid, [.. RunSandbox.DefaultPopulation.Select(p => p / 700)]);
        FixtureFiles.WriteLayer(box.Input("hazard.gpkg"), "zones", [new FieldSpec("kind", FieldKind.String)],
            [(FixtureFiles.Box(10.3, 0.3, 11.3, 1.3), ["flood"])]);
        box.Hazards.AddRange(hazards);
        box.WriteConfig();
        return box;
    }

    [Fact]
    public void A_hazard_without_a_name_is_refused()
    {
        using RunSandbox box = Broken("{ raster: { path: flood.tif, threshold: 0.5 } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: missing key 'name' in hazards[0].");
    }

    [Fact]
    public void An_empty_hazards_list_is_refused()
    {
        using RunSandbox box = Broken();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "hazards: []\n");

        box.ExpectRefused($"{box.ConfigPath}, line 7: hazards must be a non-empty list of layers, each with name and raster: or polygons:");
    }

    [Fact]
    public void A_hazard_given_as_a_bare_name_is_refused()
    {
        using RunSandbox box = Broken("flood");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0] must be a mapping with name and raster: or polygons:");
    }

    [Fact]
    public void A_band_below_1_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: 0.5, band: 0 } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].raster.band must be a whole number from 1 (the first band)");
    }

    [Fact]
    public void A_polygon_layer_without_features_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, polygons: { path: empty.gpkg, layer: zones } }");
        FixtureFiles.WriteLayer(box.Input("empty.gpkg"), "zones", [new FieldSpec("kind", FieldKind.String)], []);

        box.ExpectRefused(box.Input("empty.gpkg"), "layer 'zones'", "hazard 'flood' has no features. Check the file and layer, or remove the hazard from country.yaml.");
    }

    [Fact]
    public void A_name_given_twice_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: 0.5 } }", "{ name: flood, polygons: { path: hazard.gpkg } }");

        box.ExpectRefused($"{box.ConfigPath}, line 9: hazards[1]: the hazard name 'flood' is given twice; each hazard needs its own name (key 'name').");
    }

    [Fact]
    public void A_name_unfit_for_column_names_is_refused()
    {
        using RunSandbox box = Broken("{ name: Flood 2024, raster: { path: flood.tif, threshold: 0.5 } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].name 'Flood 2024' is used in column names", "use lower-case letters, digits and '_'");
    }

    [Fact]
    public void Both_a_raster_and_polygons_are_ambiguous()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: 0.5 }, polygons: { path: hazard.gpkg } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0]: both raster: and polygons: are given, so it is ambiguous which to use");
    }

    [Fact]
    public void A_hazard_without_a_source_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, label: Floods }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0]: give the hazard's source, either raster:", "or polygons:");
    }

    [Fact]
    public void A_threshold_that_is_not_a_number_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: deep } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].raster.threshold must be a number, not 'deep' (key 'threshold').");
    }

    [Fact]
    public void A_raster_without_threshold_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].raster: threshold is required");
    }

    [Fact]
    public void An_unknown_direction_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: 0.5, direction: over } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].raster.direction 'over' is not known; use above", "or below");
    }

    [Fact]
    public void A_vector_file_given_as_raster_and_a_raster_given_as_polygons_are_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: hazard.gpkg, threshold: 0.5 } }");
        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].raster: hazard.gpkg is not a raster", "give vector files under polygons: instead");

        box.Hazards[0] = "{ name: flood, polygons: { path: flood.tif } }";
        box.WriteConfig();
        box.ExpectRefused($"{box.ConfigPath}, line 8: hazards[0].polygons: flood.tif is a raster; give it under raster: with a threshold instead");
    }

    [Fact]
    public void A_missing_hazard_file_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood_2024.tif, threshold: 0.5 } }");

        box.ExpectRefused($"{box.Input("flood_2024.tif")}: ", "does not exist", "Check the path in country.yaml");
    }

    [Fact]
    public void A_hazard_raster_without_crs_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: 0.5 } }");
        FixtureFiles.WriteRaster(box.Input("flood.tif"), RunSandbox.Grid, new float[RunSandbox.Grid.Cells], crsWkt: "");

        box.ExpectRefused($"{box.Input("flood.tif")}: the hazard raster has no coordinate reference system", "gdal_edit.py -a_srs");
    }

    [Fact]
    public void A_band_the_raster_does_not_have_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, band: 3, threshold: 0.5 } }");

        box.ExpectRefused($"{box.Input("flood.tif")}: the raster has 1 band(s), so band 3 does not exist", "Set band to a number from 1 to 1");
    }

    [Fact]
    public void A_missing_layer_is_refused_with_the_available_ones()
    {
        using RunSandbox box = Broken("{ name: flood, polygons: { path: hazard.gpkg, layer: floods } }");

        box.ExpectRefused($"{box.Input("hazard.gpkg")}: there is no layer 'floods'", "Available layers: 'zones'");
    }

    [Fact]
    public void A_filter_that_matches_nothing_is_refused()
    {
        using RunSandbox box = Broken("{ name: cyclone, polygons: { path: hazard.gpkg, layer: zones, where: \"kind = 'Cyclone'\" } }");

        box.ExpectRefused($"{box.Input("hazard.gpkg")}, layer 'zones', where kind = 'Cyclone': no feature of the layer matches the filter of hazard 'cyclone'");
    }

    [Fact]
    public void A_filter_that_is_not_ogr_sql_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, polygons: { path: hazard.gpkg, where: \"kinds == flood ))\" } }");

        box.ExpectRefused($"{box.Input("hazard.gpkg")}, layer 'zones': the filter \"kinds == flood ))\" is not a valid OGR SQL condition", "fields: kind");
    }

    [Fact]
    public void An_unknown_key_in_a_hazard_is_named_with_the_allowed_keys()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, treshold: 0.5 } }");

        box.ExpectRefused($"{box.ConfigPath}, line 8: unknown key 'treshold' in hazards[0].raster; allowed keys are path, band, threshold, direction.");
    }

    [Fact]
    public void A_hazard_raster_without_georeferencing_is_refused()
    {
        using RunSandbox box = Broken("{ name: flood, raster: { path: flood.tif, threshold: 0.5 } }");
        FixtureFiles.WriteRaster(box.Input("flood.tif"), RunSandbox.Grid, new float[RunSandbox.Grid.Cells], georeferenced: false);

        box.ExpectRefused($"{box.Input("flood.tif")}: the hazard raster has no georeferencing (geotransform)", "gdal_translate -a_ullr");
    }

    [Fact]
    public void A_hazard_layer_of_lines_is_refused_with_the_advice_to_buffer_it()
    {
        using RunSandbox box = Broken("{ name: track, polygons: { path: track.gpkg } }");
        FixtureFiles.WriteLayer(box.Input("track.gpkg"), "track", [new FieldSpec("name", FieldKind.String)],
            [(FixtureFiles.Factory.CreateLineString([new(10.2, 0.2), new(11.8, 1.8)]), ["WINSTON"])]);

        box.ExpectRefused($"{box.Input("track.gpkg")}, layer 'track': hazard 'track' holds no polygons", "buffer lines or points");
    }

    [Fact]
    public void A_hazard_away_from_the_grid_is_a_warning_and_exposes_nobody()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteLayer(box.Input("hazard.gpkg"), "zones", [new FieldSpec("kind", FieldKind.String)],
            [(FixtureFiles.Box(20, 5, 21, 6), ["flood"])]);
        box.Hazards.Add("{ name: flood, polygons: { path: hazard.gpkg } }");
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        Assert.Contains(run.Warnings, w => w.Contains("hazard 'flood' does not reach the population grid; nobody is exposed", StringComparison.Ordinal));
        Assert.Equal(0, run.Unit("TS01", "pop_exposed_flood"));
        Assert.Equal(0, run.Summary.GetProperty("hazards")[0].GetProperty("people_exposed").GetDouble());
    }
}
