using Ewcm.Engine.Outputs;
using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// country.yaml names a layer or field the file does not have, or the admin layer cannot be used as it
/// is: the error names the file and layer and lists what is there.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class LayerAndFieldTests
{
    /// <summary>The default sandbox with a second layer in admin.gpkg, so that layer names must be given.</summary>
    private static RunSandbox TwoAdminLayers()
    {
        RunSandbox box = RunSandbox.WithDefaults();
        GpkgWriter.Write(box.Input("admin.gpkg"),
        [
            FixtureFiles.Layer("provinces", FixtureFiles.AdminFields, [(RunSandbox.West.Union(RunSandbox.East), ["TS", "Testland"])]),
            FixtureFiles.Layer("districts", FixtureFiles.AdminFields, [(RunSandbox.West, ["TS01", "West"]), (RunSandbox.East, ["TS02", "East"])]),
        ]);
        box.KeepPreviousResult();
        return box;
    }

    [Fact]
    public void A_missing_admin_layer_lists_the_layers_of_the_file()
    {
        using RunSandbox box = TwoAdminLayers();
        box.Admin = "{ path: admin.gpkg, layer: district, id_field: pcode, name_field: name }";
        box.WriteConfig();

        box.ExpectRefused($"{box.Input("admin.gpkg")}: there is no layer 'district'", "Available layers: 'provinces', 'districts'",
            "Check the layer name in country.yaml");
    }

    [Fact]
    public void A_missing_coverage_layer_lists_the_layers_of_the_file()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.Coverage[0] = "{ path: coverage.gpkg, layer: cov_4g, technology: 4G, operator_field: operator }";
        box.WriteConfig();

        box.ExpectRefused($"{box.Input("coverage.gpkg")}: there is no layer 'cov_4g'", "Available layers: 'cov_3g'");
    }

    [Theory]
    [InlineData("{ path: admin.gpkg, layer: districts, id_field: pcod, name_field: name }", "pcod")]
    [InlineData("{ path: admin.gpkg, layer: districts, id_field: pcode, name_field: NAME_1 }", "NAME_1")]
    public void A_missing_admin_field_lists_the_fields_of_the_layer(string admin, string field)
    {
        using RunSandbox box = TwoAdminLayers();
        box.Admin = admin;
        box.WriteConfig();

        box.ExpectRefused($"{box.Input("admin.gpkg")}, layer 'districts': there is no field '{field}'", "Available fields: 'pcode', 'name'",
            "Check the field names in country.yaml");
    }

    [Fact]
    public void A_missing_operator_field_lists_the_fields_of_the_layer()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.Coverage[0] = "{ path: coverage.gpkg, layer: cov_3g, technology: 3G, operator_field: mno }";
        box.WriteConfig();

        box.ExpectRefused($"{box.Input("coverage.gpkg")}, layer 'cov_3g': there is no field 'mno'", "Available fields: 'operator'");
    }

    [Fact]
    public void Duplicate_admin_ids_are_named_once_each()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteAdmin(
            ("TS01", FixtureFiles.Box(10.05, 0.05, 11, 1)), ("TS01", FixtureFiles.Box(10.05, 1, 11, 1.95)),
            ("TS02", FixtureFiles.Box(11, 0.05, 11.95, 0.5)), ("TS02", FixtureFiles.Box(11, 0.5, 11.95, 1)), ("TS02", FixtureFiles.Box(11, 1, 11.95, 1.95)));

        box.ExpectRefused($"{box.Input("admin.gpkg")}, layer 'districts': the id field 'pcode' is not unique: 'TS01', 'TS02' appear more than once",
            "Choose a unique id field");
    }

    [Fact]
    public void A_single_duplicate_admin_id_is_named()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteAdmin(("TS01", FixtureFiles.Box(10.05, 0.05, 11, 1)), ("TS02", RunSandbox.East), ("TS01", FixtureFiles.Box(10.05, 1, 11, 1.95)));

        box.ExpectRefused($"{box.Input("admin.gpkg")}, layer 'districts': the id field 'pcode' is not unique: 'TS01' appears more than once");
    }

    [Fact]
    public void An_empty_coverage_layer_says_to_remove_the_entry_or_check_the_file()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields, []);

        box.ExpectRefused($"{box.Input("coverage.gpkg")}, layer 'cov_3g': the coverage layer (3G) has no features",
            "Remove this entry from country.yaml", "or check the file");
    }
}
