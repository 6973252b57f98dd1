using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>Every file a run needs, missing in turn: the error names the file and the setting to check.</summary>
[Collection(ConsoleCapture.Name)]
public class MissingInputTests
{
    [Theory]
    [InlineData("pop.tif")]
    [InlineData("admin.gpkg")]
    [InlineData("coverage.gpkg")]
    public void A_missing_input_file_is_named_and_nothing_is_written(string file)
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        File.Delete(box.Input(file));

        box.ExpectRefused($"{box.Input(file)}: ", "does not exist", "Check the path in country.yaml");
    }

    [Fact]
    public void A_missing_country_yaml_is_named_and_nothing_is_written()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        File.Delete(box.ConfigPath);

        box.ExpectRefused($"{box.ConfigPath}: file not found", "Give the path of a country.yaml");
    }
}
