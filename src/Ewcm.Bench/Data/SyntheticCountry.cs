using Ewcm.Engine.Grids;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using NetTopologySuite.Geometries;

namespace Ewcm.Bench.Data;

/// <summary>
/// A seeded synthetic country in grid space: sparse lognormal population with nodata, a partition into
/// jittered quadrilateral admin units, and irregular, overlapping coverage discs (one feature per site)
/// for two operators and 2G/3G/4G.
/// The same size and seed give the same data.
/// </summary>
public sealed class SyntheticCountry
{
    private static readonly GeometryFactory F = new();

    public SyntheticCountry(int size, int seed, int adminPerSide = 10, int discsPerLayer = 60)
    {
        Size = size;
        var rng = new Random(seed);
        Population = PopulationValues(size, rng);
        Units = AdminUnits(size, adminPerSide, rng);
        Layers = CoverageLayers(size, discsPerLayer, rng);
        Model = ModelBuilder.BuildMasks(new GridSpec(0, size, 1, 1, size, size), [new AdminLevel("admin", "synthetic", Units)], Layers);
    }

    public int Size { get; }

    public float[] Population { get; }

    public IReadOnlyList<AdminUnit> Units { get; }

    public IReadOnlyList<CoverageLayer> Layers { get; }

    public OverlayModel Model { get; }

    /// <summary>Sparse lognormal people per cell, row-major: 3 % nodata (NaN), about half the cells empty.</summary>
    public static float[] PopulationValues(int size, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var population = new float[size * size];
        for (int i = 0; i < population.Length; i++)
        {
            double u = rng.NextDouble();
            population[i] = u < 0.03 ? float.NaN : u < 0.5 ? 0f : (float)Math.Exp(NextGaussian(rng) * 1.1);
        }

        return population;
    }

    /// <summary>Admin units: a k × k lattice with jittered inner nodes; neighbours share edges exactly.</summary>
    public static List<AdminUnit> AdminUnits(int size, int k, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double step = (double)size / k;
        var nodes = new Coordinate[k + 1, k + 1];
        for (int i = 0; i <= k; i++)
        {
            for (int j = 0; j <= k; j++)
            {
                bool inner = i > 0 && i < k && j > 0 && j < k;
                double jx = inner ? (rng.NextDouble() - 0.5) * step * 0.6 : 0;
                double jy = inner ? (rng.NextDouble() - 0.5) * step * 0.6 : 0;
                nodes[i, j] = new Coordinate((i * step) + jx, (j * step) + jy);
            }
        }

        var units = new List<AdminUnit>();
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                var ring = F.CreateLinearRing([nodes[i, j], nodes[i + 1, j], nodes[i + 1, j + 1], nodes[i, j + 1], nodes[i, j]]);
                units.Add(new AdminUnit($"{i}-{j}", $"Unit {i}-{j}", F.CreatePolygon(ring)));
            }
        }

        return units;
    }

    /// <summary>
    /// Irregular coverage discs of 72 vertices, <paramref name="discsPerLayer"/> per operator (OpA, OpB)
    /// and technology (2G, 3G, 4G); some cross the grid's edges.
    /// </summary>
    public static List<CoverageLayer> CoverageLayers(int size, int discsPerLayer, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var layers = new List<CoverageLayer>();
        foreach (string op in new[] { "OpA", "OpB" })
        {
            foreach ((Technology tech, double radius) in new[] { (Technology.G2, 0.06), (Technology.G3, 0.03), (Technology.G4, 0.025) })
            {
                // One feature per site, as many operators deliver them: overlapping discs, never unioned.
                for (int d = 0; d < discsPerLayer; d++)
                {
                    double cx = rng.NextDouble() * size, cy = rng.NextDouble() * size;
                    double r = radius * size * (0.5 + rng.NextDouble());
                    layers.Add(new CoverageLayer(op, tech, Disc(rng, cx, cy, r), "synthetic"));
                }
            }
        }

        return layers;
    }

    private static Geometry Disc(Random rng, double cx, double cy, double r)
    {
        const int n = 72;
        var pts = new Coordinate[n + 1];
        double phase = rng.NextDouble() * Math.PI * 2;
        for (int i = 0; i < n; i++)
        {
            double a = 2 * Math.PI * i / n;
            double rr = r * (1 + (0.15 * Math.Cos((3 * a) + phase)));
            pts[i] = new Coordinate(cx + (rr * Math.Cos(a)), cy + (rr * Math.Sin(a)));
        }

        pts[n] = pts[0];
        return F.CreatePolygon(pts);
    }

    private static double NextGaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
