using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>Admin units that do not overlap the population grid (10–12°E, 0–2°N).</summary>
[Collection(ConsoleCapture.Name)]
public class AdminOutsideGridTests
{
    [Fact]
    public void When_every_unit_is_outside_the_grid_the_error_names_the_grid_extent()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteAdmin(("TS01", FixtureFiles.Box(50, 10, 51, 11)), ("TS02", FixtureFiles.Box(51, 10, 52, 11)));

        box.ExpectRefused($"{box.Input("admin.gpkg")}, layer 'districts': no admin unit overlaps the population grid (x 10 to 12, y 0 to 2)",
            "Check that both files are for the same country");
    }

    [Fact]
    public void Units_outside_the_grid_are_listed_in_a_warning_and_get_nobody()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.WriteAdmin(("TS01", RunSandbox.West), ("TS02", RunSandbox.East), ("TS98", FixtureFiles.Box(50, 10, 51, 11)),
            ("TS99", FixtureFiles.Box(12.5, 0, 13, 1)));

        RunOutputs run = box.ExpectSuccess();

        Assert.Contains(run.Warnings, w => w.Contains("2 admin unit(s) lie entirely outside the population grid and get 0 people: 'TS98', 'TS99'", StringComparison.Ordinal));
        Assert.Equal(0, run.Unit("TS98", "pop_total"));
        Assert.Equal(0, run.Unit("TS99", "pop_total"));
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, RunSandbox.DefaultPopulation, RunSandbox.West), run.Unit("TS01", "pop_total"), 1e-9);
        run.AssertConserved();
    }
}
