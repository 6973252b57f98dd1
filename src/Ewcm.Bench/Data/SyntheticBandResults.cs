using Ewcm.Engine.Overlay;
using NetTopologySuite.Geometries;

namespace Ewcm.Bench.Data;

/// <summary>
/// Per-band sums shaped like the kernel's: a unit gets people only in the bands its rows cross, and its
/// people in "at least 4G" never exceed those in "at least 3G", "at least 2G" or the unit's total.
/// </summary>
public static class SyntheticBandResults
{
    public static BandResult[] Make(OverlayModel model, int rows, int bandHeight, Random rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rng);
        int bands = (rows + bandHeight - 1) / bandHeight;
        int nt = model.TechnologyLevels.Count;
        IReadOnlyList<AdminUnit> units = model.Levels[0].Units;
        var results = new BandResult[bands];
        for (int b = 0; b < bands; b++)
        {
            var r = new BandResult(1, [units.Count], model.Masks.Count);
            int stride = r.Stride;
            double top = b * bandHeight, bottom = top + bandHeight;
            double national = 0;
            for (int u = 0; u < units.Count; u++)
            {
                Envelope e = units[u].GridGeometry.EnvelopeInternal;
                if (e.MaxY <= top || e.MinY >= bottom)
                {
                    continue;
                }

                double people = rng.NextDouble() * 20000;
                r.AddToUnit(0, u * stride, people);
                national += people;
                var best = new double[nt];
                for (int o = 0; o < model.Operators.Count; o++)
                {
                    double covered = people;
                    for (int t = 0; t < nt; t++)
                    {
                        covered *= 0.5 + (0.5 * rng.NextDouble());
                        r.AddToUnit(0, (u * stride) + 1 + model.OperatorMask(o, t), covered);
                        best[t] = Math.Max(best[t], covered);
                    }
                }

                // Over all operators: between the best operator's figure and the level below.
                double below = people;
                for (int t = 0; t < nt; t++)
                {
                    below = best[t] + ((below - best[t]) * 0.3 * rng.NextDouble());
                    r.AddToUnit(0, (u * stride) + 1 + t, below);
                }
            }

            r.AddValidPopulation(national);
            r.Publish();
            results[b] = r;
        }

        return results;
    }
}
