using Ewcm.Engine.Coverage;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Union;

namespace Ewcm.Engine.Tests.Hazards;

/// <summary>
/// Hazard exposure in the overlay kernel: hand-computed cases, and a brute-force oracle (NTS area of
/// cell ∩ unit ∩ H, and of cell ∩ unit ∩ (H ∖ covered), for every cell).
/// </summary>
public class HazardKernelTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly GeometryFactory F = new();

    private static OverlayModel Model(int cols, int rows, string[] admins, (string Op, Technology Tech, string Wkt)[] coverage, string[][] hazards)
    {
        var grid = new GridSpec(0, rows, 1, 1, cols, rows);
        var units = admins.Select((w, i) => new AdminUnit($"A{i}", $"Unit {i}", Wkt.Read(w))).ToList();
        var layers = coverage.Select(c => new CoverageLayer(c.Op, c.Tech, Wkt.Read(c.Wkt), "test")).ToList();
        var hz = hazards.Select((parts, h) => new Hazard($"h{h}", $"Hazard {h}", "test", [.. parts.Select(Wkt.Read)])).ToList();
        return ModelBuilder.BuildMasks(grid, [new AdminLevel("admin", "test", units)], layers, hz);
    }

    /// <summary>Runs every band; fills <paramref name="hazardUncovered"/> (one grid-sized array per hazard) and <paramref name="uncovered"/> when given.</summary>
    private static BandResult Run(OverlayModel model, float[] pop, int bandHeight, float[][]? hazardUncovered = null, float[]? uncovered = null)
    {
        var edges = new EdgeBuckets(model.AllGeometries(), model.Grid.Rows, bandHeight);
        var processor = new BandProcessor(model, edges);
        BandResult total = BandResult.For(model);
        int cols = model.Grid.Columns;
        var bandArrays = hazardUncovered?.Select(_ => new float[bandHeight * cols]).ToArray();
        for (int b = 0; b < edges.BandCount; b++)
        {
            int r0 = b * bandHeight;
            int n = Math.Min(bandHeight, model.Grid.Rows - r0);
            Span<float> unc = uncovered is null ? Span<float>.Empty : uncovered.AsSpan(r0 * cols, n * cols);
            total.Add(processor.Process(b, pop.AsSpan(r0 * cols, n * cols), unc, null, bandArrays));
            for (int h = 0; bandArrays is not null && h < bandArrays.Length; h++)
            {
                bandArrays[h].AsSpan(0, n * cols).CopyTo(hazardUncovered![h].AsSpan(r0 * cols));
            }
        }

        return total;
    }

    private static Geometry Union(IEnumerable<Geometry> parts) => UnaryUnionOp.Union(parts.ToList()) ?? F.CreatePolygon();

    private static Geometry Covered(OverlayModel model) => Union(model.Masks[0].Atoms.Select(a => model.Atoms[a].GridGeometry));

    /// <summary>Σ pop × area(cell ∩ g) by brute force.</summary>
    private static double Oracle(float[] pop, int cols, int rows, Geometry g)
    {
        double s = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                float v = pop[(r * cols) + c];
                if (!float.IsNaN(v))
                {
                    s += v * F.ToGeometry(new Envelope(c, c + 1, r, r + 1)).Intersection(g).Area;
                }
            }
        }

        return s;
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");

    [Fact]
    public void A_hazard_covering_half_a_cell_exposes_half_its_people()
    {
        // Two cells of 10 and 20 people; the hazard is the left half of cell 0; coverage starts at x = 0.25,
        // so a quarter of cell 0 is exposed and unreachable.
        OverlayModel model = Model(2, 1, ["POLYGON((0 0, 2 0, 2 1, 0 1, 0 0))"],
            [("OpA", Technology.G2, "POLYGON((0.25 0, 2 0, 2 1, 0.25 1, 0.25 0))")],
            [["POLYGON((0 0, 0.5 0, 0.5 1, 0 1, 0 0))"]]);
        var perCell = new[] { new float[2] };
        BandResult r = Run(model, [10, 20], 1, perCell);

        Assert.Equal(5, r.Units[0][r.HazardIndex(0)], 12);
        Assert.Equal(2.5, r.Units[0][r.HazardIndex(0) + 1], 12);
        Assert.Equal([5, 2.5], r.NationalHazard);
        Assert.Equal([2.5f, 0f], perCell[0]);
    }

    [Fact]
    public void Overlapping_hazard_parts_are_not_counted_twice()
    {
        // Two parts overlapping on [0.25, 0.75] × [0, 1] of one cell of 100 people: their union covers 0.75.
        OverlayModel model = Model(1, 1, ["POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"], [],
            [["POLYGON((0 0, 0.75 0, 0.75 1, 0 1, 0 0))", "POLYGON((0.25 0, 1.0 0, 1.0 0.5, 0.25 0.5, 0.25 0))"]]);
        BandResult r = Run(model, [100], 1);

        // Union: [0, 0.75] × [0, 1] plus [0.75, 1] × [0, 0.5] = 0.75 + 0.125.
        Assert.Equal(87.5, r.NationalHazard[0], 12);
        Assert.Equal(87.5, r.NationalHazard[1], 12); // no coverage at all
        Assert.Equal(87.5, r.Units[0][r.HazardIndex(0)], 12);
    }

    [Fact]
    public void A_cell_crossed_by_admin_coverage_and_hazard_edges_is_exact()
    {
        // Units split at x = 1.5; coverage below the diagonal; the hazard a disc centred in the middle cell.
        string disc = F.CreatePoint(new Coordinate(1.7, 1.3)).Buffer(0.55, 6).AsText();
        OverlayModel model = Model(3, 3,
            ["POLYGON((0 0, 1.5 0, 1.5 3, 0 3, 0 0))", "POLYGON((1.5 0, 3 0, 3 3, 1.5 3, 1.5 0))"],
            [("OpA", Technology.G2, "POLYGON((0 0, 3 0, 0 3, 0 0))")],
            [[disc]]);
        float[] pop = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        BandResult r = Run(model, pop, 3);
        Geometry hazard = Wkt.Read(disc);
        Geometry outside = hazard.Difference(Covered(model));
        for (int u = 0; u < 2; u++)
        {
            Geometry a = model.Levels[0].Units[u].GridGeometry;
            AssertClose(Oracle(pop, 3, 3, a.Intersection(hazard)), r.Units[0][(u * r.Stride) + r.HazardIndex(0)], $"unit {u} exposed");
            AssertClose(Oracle(pop, 3, 3, a.Intersection(outside)), r.Units[0][(u * r.Stride) + r.HazardIndex(0) + 1], $"unit {u} exposed uncovered");
        }

        // The middle cell (row 1, column 1) holds all three boundaries.
        Geometry middle = F.ToGeometry(new Envelope(1, 2, 1, 2));
        foreach (Geometry g in new[] { model.Levels[0].Units[0].GridGeometry, Covered(model), hazard })
        {
            double inside = middle.Intersection(g).Area;
            Assert.InRange(inside, 0.01, 0.99);
        }
    }

    [Theory]
    [InlineData(11, 1)]
    [InlineData(12, 3)]
    [InlineData(13, 5)]
    [InlineData(14, 12)]
    public void Random_hazards_match_the_brute_force_oracle(int seed, int bandHeight)
    {
        const int cols = 13, rows = 12;
        var rng = new Random(seed);
        double x = 4 + (rng.NextDouble() * 4), y = 3 + (rng.NextDouble() * 5);
        string left = $"POLYGON((-1 -1, {x:R} -1, {x + 0.6:R} {y:R}, -1 {y:R}, -1 -1))";
        string right = $"POLYGON(({x:R} -1, 14 -1, 14 {y:R}, {x + 0.6:R} {y:R}, {x:R} -1))";
        string bottom = $"POLYGON((-1 {y:R}, 14 {y:R}, 14 13, -1 13, -1 {y:R}))";
        var coverage = new List<(string, Technology, string)>();
        foreach ((string op, Technology tech) in new[] { ("OpA", Technology.G2), ("OpA", Technology.G3), ("OpB", Technology.G2), ("OpB", Technology.G4) })
        {
            for (int site = 0; site < 3; site++)
            {
                Geometry disc = F.CreatePoint(new Coordinate(rng.NextDouble() * cols, rng.NextDouble() * rows)).Buffer(1 + (rng.NextDouble() * 3), 4);
                coverage.Add((op, tech, disc.AsText()));
            }
        }

        // Two hazards of overlapping parts: discs, and a band with a hole.
        string[] discs = [.. Enumerable.Range(0, 3).Select(_ => F.CreatePoint(new Coordinate(rng.NextDouble() * cols, rng.NextDouble() * rows)).Buffer(1.5 + (rng.NextDouble() * 3), 5).AsText())];
        double y0 = rng.NextDouble() * 6;
        string strip = $"POLYGON((-2 {y0:R}, 15 {y0 + 2.3:R}, 15 {y0 + 5.1:R}, -2 {y0 + 3.7:R}, -2 {y0:R}), (5.2 {y0 + 1.9:R}, 6.9 {y0 + 2.1:R}, 6.1 {y0 + 3.2:R}, 5.2 {y0 + 1.9:R}))";
        OverlayModel model = Model(cols, rows, [left, right, bottom], [.. coverage], [discs, [strip]]);

        var pop = new float[cols * rows];
        for (int i = 0; i < pop.Length; i++)
        {
            pop[i] = rng.NextDouble() < 0.1 ? float.NaN : (float)Math.Round(rng.NextDouble() * 100, 2);
        }

        float[][] perCell = [new float[pop.Length], new float[pop.Length]];
        var uncovered = new float[pop.Length];
        BandResult r = Run(model, pop, bandHeight, perCell, uncovered);
        Geometry covered = Covered(model);
        for (int h = 0; h < 2; h++)
        {
            Geometry hazard = Union(model.Hazards[h].Parts);
            Geometry outside = hazard.Difference(covered);
            AssertClose(Oracle(pop, cols, rows, hazard), r.NationalHazard[2 * h], $"hazard {h} national exposed");
            AssertClose(Oracle(pop, cols, rows, outside), r.NationalHazard[(2 * h) + 1], $"hazard {h} national exposed uncovered");
            for (int u = 0; u < 3; u++)
            {
                Geometry a = model.Levels[0].Units[u].GridGeometry;
                int at = (u * r.Stride) + r.HazardIndex(h);
                double exposed = r.Units[0][at], unreachable = r.Units[0][at + 1];
                AssertClose(Oracle(pop, cols, rows, a.Intersection(hazard)), exposed, $"hazard {h}, unit {u} exposed");
                AssertClose(Oracle(pop, cols, rows, a.Intersection(outside)), unreachable, $"hazard {h}, unit {u} exposed uncovered");
                Assert.True(unreachable <= exposed + 1e-9);
                double unitUncovered = r.Units[0][u * r.Stride] - r.Units[0][(u * r.Stride) + 1];
                Assert.True(unreachable <= unitUncovered + 1e-9, $"unit {u}: {unreachable} exposed unreachable > {unitUncovered} uncovered");
            }

            // The per-cell output: pop × area(cell ∩ H ∖ covered), nodata where the population is; it adds up
            // to the national figure and never exceeds the cell's uncovered people.
            double sum = 0;
            for (int i = 0; i < pop.Length; i++)
            {
                if (float.IsNaN(pop[i]))
                {
                    Assert.Equal(BandProcessor.OutputNoData, perCell[h][i]);
                    continue;
                }

                Assert.InRange(perCell[h][i], 0f, uncovered[i] + 1e-4f);
                Geometry cell = F.ToGeometry(new Envelope(i % cols, (i % cols) + 1, i / cols, (i / cols) + 1));
                Assert.Equal(pop[i] * cell.Intersection(outside).Area, perCell[h][i], 3);
                sum += perCell[h][i];
            }

            Assert.True(Math.Abs(sum - r.NationalHazard[(2 * h) + 1]) <= 1e-5 * Math.Max(1, sum));
        }
    }

    [Fact]
    public void Hazard_sums_are_identical_to_the_bit_for_any_band_height()
    {
        const int cols = 12, rows = 11;
        var rng = new Random(21);
        string[] discs = [.. Enumerable.Range(0, 4).Select(_ => F.CreatePoint(new Coordinate(rng.NextDouble() * cols, rng.NextDouble() * rows)).Buffer(2 + (rng.NextDouble() * 2), 5).AsText())];
        string cover = F.CreatePoint(new Coordinate(6, 5)).Buffer(4, 6).AsText();
        OverlayModel model = Model(cols, rows, ["POLYGON((-1 -1, 6.3 -1, 5.8 12, -1 12, -1 -1))", "POLYGON((6.3 -1, 13 -1, 13 12, 5.8 12, 6.3 -1))"],
            [("OpA", Technology.G2, cover)], [discs]);
        float[] pop = [.. Enumerable.Range(0, cols * rows).Select(i => (float)((i * 37 % 101) + 0.5))];
        BandResult reference = Run(model, pop, 1);
        foreach (int height in new[] { 2, 5, 11 })
        {
            BandResult r = Run(model, pop, height);
            Assert.Equal(reference.NationalHazard, r.NationalHazard);
            Assert.Equal(reference.Units[0], r.Units[0]);
        }
    }

    [Fact]
    public void Without_hazards_the_sums_keep_their_shape()
    {
        OverlayModel model = Model(2, 2, ["POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))"], [("OpA", Technology.G2, "POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))")], []);
        BandResult r = Run(model, [1, 2, 3, 4], 2);
        Assert.Equal(1 + model.Masks.Count, r.Stride);
        Assert.Empty(r.NationalHazard);
    }
}
