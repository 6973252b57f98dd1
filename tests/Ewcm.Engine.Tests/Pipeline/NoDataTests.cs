using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// WorldPop-style nodata: the sea holds -99999. Declared (in the raster or in country.yaml) it is never
/// summed; undeclared, the run stops and says which nodata to declare. NaN cells are always nodata.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class NoDataTests
{
    private const float Sentinel = -99999f;

    /// <summary>The default population with a "sea" of sentinels: a corner of the grid and its last column.</summary>
    private static float[] WithSea(float sea)
    {
        float[] values = [.. RunSandbox.DefaultPopulation];
        for (int r = 0; r < RunSandbox.Grid.Rows; r++)
        {
            for (int c = 0; c < RunSandbox.Grid.Columns; c++)
            {
                if (r + c < 6 || c == RunSandbox.Grid.Columns - 1)
                {
                    values[(r * RunSandbox.Grid.Columns) + c] = sea;
                }
            }
        }

        return values;
    }

    private static double ValidSum => FixtureFiles.Sum(WithSea(float.NaN));

    private static long ValidCount => WithSea(float.NaN).Count(v => !float.IsNaN(v));

    [Fact]
    public void A_declared_nodata_sentinel_is_never_summed()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, WithSea(Sentinel), noData: Sentinel);

        RunOutputs run = box.ExpectSuccess();

        RunOutputs.AssertClose(ValidSum, run.Total, 1e-12);
        Assert.Equal(ValidCount, run.ValidCells);
        run.AssertConserved();
    }

    [Fact]
    public void An_undeclared_sentinel_stops_the_run_and_suggests_the_nodata_setting()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, WithSea(Sentinel));

        box.ExpectRefused($"{box.Input("pop.tif")}: cell (row 0, column 0) holds -99999", "the raster declares no nodata value",
            "add nodata: -99999 under population in country.yaml", "gdal_edit.py -a_nodata -99999");
    }

    [Fact]
    public void The_nodata_setting_of_country_yaml_declares_the_sentinel()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, WithSea(Sentinel));
        box.Population = "{ path: pop.tif, kind: counts, nodata: -99999 }";
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess();

        RunOutputs.AssertClose(ValidSum, run.Total, 1e-12);
        Assert.Equal(ValidCount, run.ValidCells);
        run.AssertConserved();
    }

    [Fact]
    public void NaN_cells_are_nodata_without_any_declaration()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, WithSea(float.NaN));

        RunOutputs run = box.ExpectSuccess();

        RunOutputs.AssertClose(ValidSum, run.Total, 1e-12);
        Assert.Equal(ValidCount, run.ValidCells);
        run.AssertConserved();
    }

    [Fact]
    public void A_negative_population_that_is_not_a_sentinel_is_refused()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        float[] values = [.. RunSandbox.DefaultPopulation];
        values[(3 * RunSandbox.Grid.Columns) + 4] = -2.5f;
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, values, noData: Sentinel);

        box.ExpectRefused($"{box.Input("pop.tif")}: cell (row 3, column 4) holds -2.5", "the nodata value in force is -99999",
            "Population cannot be negative");
    }
}
