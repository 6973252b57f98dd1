using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// A signal-strength raster as coverage (`min_signal: -105`), on the population grid: exactly the cells
/// with a valid signal of at least -105 dBm are covered, so the covered people are the sum of their population.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class SignalRasterTests
{
    /// <summary>Declared nodata of the signal raster; above the threshold, so it would count if it were read as a signal.</summary>
    private const float NoSignal = 0;

    /// <summary>-130 to -80 dBm in a diagonal pattern (-105 exactly included), some cells nodata or NaN.</summary>
    private static float[] Signal()
    {
        RasterGrid g = RunSandbox.Grid;
        var values = new float[g.Cells];
        for (int r = 0; r < g.Rows; r++)
        {
            for (int c = 0; c < g.Columns; c++)
            {
                values[(r * g.Columns) + c] = (r + c) % 17 == 0 ? NoSignal : (r * c) % 29 == 5 ? float.NaN : -130 + ((r * 3) + (c * 5)) % 51;
            }
        }

        return values;
    }

    private static bool Covered(float signal) => !float.IsNaN(signal) && signal != NoSignal && signal >= -105;

    [Fact]
    public void Cells_with_at_least_min_signal_are_covered()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        float[] signal = Signal();
        Assert.Contains(-105f, signal);
        FixtureFiles.WriteRaster(box.Input("signal.tif"), RunSandbox.Grid, signal, noData: NoSignal);
        box.Coverage[0] = "{ path: signal.tif, technology: 3G, operator: OpX, min_signal: -105 }";
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess();

        float[] pop = RunSandbox.DefaultPopulation;
        float[] coveredPop = [.. pop.Select((p, i) => Covered(signal[i]) ? p : float.NaN)];
        double covered = FixtureFiles.Sum(coveredPop);
        RunOutputs.AssertClose(covered, run.NationalCovered("3G"), 1e-12);
        RunOutputs.AssertClose(covered, run.NationalCovered("2G"), 1e-12);
        Assert.Equal(0, run.NationalCovered("4G"));
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, coveredPop, RunSandbox.West), run.Unit("TS01", "pop_3g"), 1e-9);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, coveredPop, RunSandbox.East), run.Unit("TS02", "pop_3g_OpX"), 1e-9);
        run.AssertConserved();
    }
}
