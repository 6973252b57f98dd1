using Ewcm.Bench.Data;
using Ewcm.Engine.Coverage;
using Ewcm.Engine.Overlay;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Ewcm.Bench;

/// <summary>
/// Checks run before any measurement: a benchmark of a wrong answer is worthless, so a failed check
/// throws and the run stops.
/// </summary>
public static class Validation
{
    private static readonly GeometryFactory F = new();

    /// <summary>Runs the kernel on a small synthetic country and compares every sum with NTS brute force.</summary>
    public static void CheckKernelAgainstOracle()
    {
        var c = new SyntheticCountry(40, seed: 7, adminPerSide: 3, discsPerLayer: 4);
        var model = c.Model;
        var edges = new EdgeBuckets(model.AllGeometries(), c.Size, 16);
        var processor = new BandProcessor(model, edges);
        var total = new BandResult(1, [model.Levels[0].Units.Count], model.Masks.Count);
        for (int b = 0; b < edges.BandCount; b++)
        {
            int r0 = b * 16, n = Math.Min(16, c.Size - r0);
            total.Add(processor.Process(b, c.Population.AsSpan(r0 * c.Size, n * c.Size), Span<float>.Empty, null));
        }

        for (int u = 0; u < model.Levels[0].Units.Count; u++)
        {
            Geometry a = model.Levels[0].Units[u].GridGeometry;
            for (int m = -1; m < model.Masks.Count; m++)
            {
                Geometry g = m < 0 ? a : a.Intersection(MaskGeometry(model, m));
                double expected = 0;
                for (int r = 0; r < c.Size; r++)
                {
                    for (int col = 0; col < c.Size; col++)
                    {
                        float v = c.Population[(r * c.Size) + col];
                        if (!float.IsNaN(v) && v != 0)
                        {
                            expected += v * F.ToGeometry(new Envelope(col, col + 1, r, r + 1)).Intersection(g).Area;
                        }
                    }
                }

                double actual = total.Units[0][(u * total.Stride) + 1 + m];
                if (Math.Abs(actual - expected) > 1e-8 * Math.Max(1, expected))
                {
                    throw new InvalidOperationException($"Kernel disagrees with the oracle: unit {u}, mask {m}: {actual} vs {expected}.");
                }
            }
        }
    }

    /// <summary>The mask as one polygon: the NTS union of its atoms (the engine never forms it).</summary>
    private static Geometry MaskGeometry(OverlayModel model, int mask) =>
        UnaryUnionOp.Union(model.Masks[mask].Atoms.Select(a => model.Atoms[a].GridGeometry).ToList()) ?? F.CreatePolygon();

    /// <summary>Nothing lost or counted twice: the units' people add up to the valid population.</summary>
    public static void CheckConservation(SyntheticCountry country, BandResult result)
    {
        double units = 0;
        for (int u = 0; u < country.Model.Levels[0].Units.Count; u++)
        {
            units += result.Units[0][u * result.Stride];
        }

        double valid = country.Population.Where(v => !float.IsNaN(v)).Sum(v => (double)v);
        if (Math.Abs(units + result.OutsideAdmin[0] - valid) > 1e-9 * valid || Math.Abs(result.OutsideAdmin[0]) > 1e-6 * valid)
        {
            throw new InvalidOperationException($"Conservation failed: units {units}, outside {result.OutsideAdmin[0]}, valid {valid}.");
        }
    }
}
