using Ewcm.Engine.Overlay;
using Ewcm.Engine.Zones;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>The word-at-a-time run finder against a plain per-cell scan.</summary>
public class RowRunsTests
{
    [Fact]
    public void Zone_and_covered_runs_match_a_per_cell_scan_at_every_length_and_threshold()
    {
        var random = new Random(5);
        foreach (int length in new[] { 0, 1, 3, 4, 5, 63, 64, 65, 127, 128, 129, 200, 1000 })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                // Fragmented rows (runs of a few cells), long runs, negatives and values at the thresholds.
                double p = trial % 3 == 0 ? 0.5 : trial % 3 == 1 ? 0.97 : 0.03;
                var values = new double[length];
                var fractions = new float[length];
                for (int i = 0; i < length; i++)
                {
                    values[i] = random.NextDouble() < p ? random.Next(0, 4) * 0.5 : random.NextDouble() < 0.05 ? -0.25 : 0;
                    fractions[i] = random.NextDouble() < p ? (float)random.NextDouble() : 0;
                }

                double above = trial % 2 == 0 ? 0 : 0.5, atLeast = trial % 4 < 2 ? above : 1;
                var runs = new List<CellRun>();
                Int128 other = RowRuns.Zone(values, above, atLeast, 7, runs);
                var covered = new List<CellRun>();
                RowRuns.Positive(fractions, 7, covered);

                Assert.Equal(Scan(length, i => values[i] > above && values[i] >= atLeast), runs);
                Assert.Equal(Scan(length, i => fractions[i] > 0), covered);
                Int128 expected = 0;
                foreach (double v in values.Where(v => v != 0 && !(v > above && v >= atLeast)))
                {
                    expected += FixedPoint.From(v);
                }

                Assert.Equal(expected, other);
            }
        }
    }

    private static List<CellRun> Scan(int length, Func<int, bool> inRun)
    {
        var runs = new List<CellRun>();
        int start = -1;
        for (int c = 0; c <= length; c++)
        {
            bool on = c < length && inRun(c);
            if (on && start < 0)
            {
                start = c;
            }
            else if (!on && start >= 0)
            {
                runs.Add(new CellRun(7, start, c, -1));
                start = -1;
            }
        }

        return runs;
    }
}
