using Ewcm.Engine.Coverage;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Tests.Overlay;

/// <summary>
/// The overlay kernel against a brute-force oracle: for every cell, NTS computes
/// area(cell ∩ admin ∩ coverage) directly, and people = Σ pop × area.
/// </summary>
public class BandProcessorTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly GeometryFactory F = new();

    private static OverlayModel Model(int cols, int rows, string[] admins, (string Op, Technology Tech, string Wkt)[] coverage)
    {
        var grid = new GridSpec(0, rows, 1, 1, cols, rows);
        var units = admins.Select((w, i) => new AdminUnit($"A{i}", $"Unit {i}", Wkt.Read(w))).ToList();
        var layers = coverage.Select(c => new CoverageLayer(c.Op, c.Tech, Wkt.Read(c.Wkt), "test")).ToList();
        return ModelBuilder.BuildMasks(grid, [new AdminLevel("admin", "test", units)], layers);
    }

    private static BandResult Run(OverlayModel model, float[] pop, int bandHeight, float[]? uncovered = null)
    {
        var edges = new EdgeBuckets(model.AllGeometries(), model.Grid.Rows, bandHeight);
        var processor = new BandProcessor(model, edges);
        var total = new BandResult(1, [model.Levels[0].Units.Count], model.Masks.Count);
        int cols = model.Grid.Columns;
        for (int b = 0; b < edges.BandCount; b++)
        {
            int r0 = b * bandHeight;
            int n = Math.Min(bandHeight, model.Grid.Rows - r0);
            Span<float> unc = uncovered is null ? Span<float>.Empty : uncovered.AsSpan(r0 * cols, n * cols);
            total.Add(processor.Process(b, pop.AsSpan(r0 * cols, n * cols), unc, null));
        }

        return total;
    }

    /// <summary>The mask as one polygon: the NTS union of its atoms (the engine never forms it).</summary>
    private static Geometry MaskGeometry(OverlayModel model, int mask) =>
        NetTopologySuite.Operation.Union.UnaryUnionOp.Union(model.Masks[mask].Atoms.Select(a => model.Atoms[a].GridGeometry).ToList())
        ?? F.CreatePolygon();

    /// <summary>Σ pop × area(cell ∩ a ∩ m) by brute force (m null: the admin unit alone).</summary>
    private static double Oracle(float[] pop, int cols, int rows, Geometry a, Geometry? m)
    {
        Geometry g = m is null ? a : a.Intersection(m);
        double s = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                float v = pop[(r * cols) + c];
                if (float.IsNaN(v))
                {
                    continue;
                }

                Geometry cell = F.ToGeometry(new Envelope(c, c + 1, r, r + 1));
                s += v * cell.Intersection(g).Area;
            }
        }

        return s;
    }

    private static float[] Population(int cols, int rows, int seed, double nodataShare = 0.1)
    {
        var rng = new Random(seed);
        var pop = new float[cols * rows];
        for (int i = 0; i < pop.Length; i++)
        {
            pop[i] = rng.NextDouble() < nodataShare ? float.NaN : (float)Math.Round(rng.NextDouble() * 100, 2);
        }

        return pop;
    }

    [Fact]
    public void Cells_crossed_by_an_admin_edge_and_a_coverage_edge_are_exact()
    {
        // Two units split by the vertical line x = 1.5; a diagonal coverage edge crosses the same cells.
        OverlayModel model = Model(3, 3,
            ["POLYGON((0 0, 1.5 0, 1.5 3, 0 3, 0 0))", "POLYGON((1.5 0, 3 0, 3 3, 1.5 3, 1.5 0))"],
            [("OpA", Technology.G2, "POLYGON((0 0, 3 0, 0 3, 0 0))")]);
        float[] pop = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        BandResult r = Run(model, pop, 3);
        Geometry cover = Wkt.Read("POLYGON((0 0, 3 0, 0 3, 0 0))");
        for (int u = 0; u < 2; u++)
        {
            Geometry a = model.Levels[0].Units[u].GridGeometry;
            Assert.Equal(Oracle(pop, 3, 3, a, null), r.Units[0][u * r.Stride], 9);
            Assert.Equal(Oracle(pop, 3, 3, a, cover), r.Units[0][(u * r.Stride) + 1], 9);
        }

        Assert.True(r.ExactCells > 0);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    [InlineData(3, 7)]
    [InlineData(4, 16)]
    public void Random_polygons_match_the_brute_force_oracle(int seed, int bandHeight)
    {
        const int cols = 14, rows = 12;
        var rng = new Random(seed);
        // Admin units: a partition of the grid (plus margin) by a jagged vertical and horizontal cut.
        double x = 5 + rng.NextDouble() * 4, y = 4 + rng.NextDouble() * 4;
        string left = $"POLYGON((-1 -1, {x:R} -1, {x + 0.7:R} {y:R}, -1 {y:R}, -1 -1))";
        string right = $"POLYGON(({x:R} -1, 15 -1, 15 {y:R}, {x + 0.7:R} {y:R}, {x:R} -1))";
        string bottom = $"POLYGON((-1 {y:R}, 15 {y:R}, 15 13, -1 13, -1 {y:R}))";
        var coverage = new List<(string, Technology, string)>();
        foreach ((string op, Technology tech) in new[] { ("OpA", Technology.G2), ("OpA", Technology.G4), ("OpB", Technology.G3), ("OpB", Technology.G2) })
        {
            double cx = rng.NextDouble() * cols, cy = rng.NextDouble() * rows, rad = 2 + rng.NextDouble() * 4;
            Geometry disc = F.CreatePoint(new Coordinate(cx, cy)).Buffer(rad, 5);
            coverage.Add((op, tech, disc.AsText()));
        }

        OverlayModel model = Model(cols, rows, [left, right, bottom], [.. coverage]);
        float[] pop = Population(cols, rows, seed);
        BandResult r = Run(model, pop, bandHeight);
        for (int u = 0; u < 3; u++)
        {
            Geometry a = model.Levels[0].Units[u].GridGeometry;
            Assert.Equal(Oracle(pop, cols, rows, a, null), r.Units[0][u * r.Stride], 8);
            for (int m = 0; m < model.Masks.Count; m++)
            {
                double expected = Oracle(pop, cols, rows, a, MaskGeometry(model, m));
                double actual = r.Units[0][(u * r.Stride) + 1 + m];
                Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(1, expected),
                    $"unit {u}, mask {model.Masks[m].Key}: expected {expected}, got {actual}");
            }
        }

        double valid = pop.Where(v => !float.IsNaN(v)).Sum(v => (double)v);
        Assert.Equal(valid, r.ValidPopulation, 9);
        Assert.Equal(0, r.OutsideAdmin[0], 8); // the three units cover the grid
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 5)]
    [InlineData(7, 12)]
    public void Overlapping_features_of_a_layer_match_the_brute_force_oracle(int seed, int bandHeight)
    {
        // One disc per site: many overlapping features per operator and technology, each its own atom,
        // so masks need exact local unions, and admin edges cross them.
        const int cols = 12, rows = 12;
        var rng = new Random(seed);
        double x = 4 + (rng.NextDouble() * 4);
        string left = $"POLYGON((-1 -1, {x:R} -1, {x - 1.3:R} 13, -1 13, -1 -1))";
        string right = $"POLYGON(({x:R} -1, 13 -1, 13 13, {x - 1.3:R} 13, {x:R} -1))";
        var coverage = new List<(string, Technology, string)>();
        foreach ((string op, Technology tech) in new[] { ("OpA", Technology.G2), ("OpA", Technology.G3), ("OpB", Technology.G2), ("OpB", Technology.G4) })
        {
            for (int site = 0; site < 4; site++)
            {
                Geometry disc = F.CreatePoint(new Coordinate(rng.NextDouble() * cols, rng.NextDouble() * rows)).Buffer(1 + (rng.NextDouble() * 3), 4);
                coverage.Add((op, tech, disc.AsText()));
            }
        }

        OverlayModel model = Model(cols, rows, [left, right], [.. coverage]);
        float[] pop = Population(cols, rows, seed);
        BandResult r = Run(model, pop, bandHeight);
        for (int u = 0; u < 2; u++)
        {
            Geometry a = model.Levels[0].Units[u].GridGeometry;
            for (int m = 0; m < model.Masks.Count; m++)
            {
                double expected = Oracle(pop, cols, rows, a, MaskGeometry(model, m));
                double actual = r.Units[0][(u * r.Stride) + 1 + m];
                Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(1, expected),
                    $"unit {u}, mask {model.Masks[m].Key}: expected {expected}, got {actual}");
            }
        }

        Assert.True(r.ExactCells > 0);
    }

    [Fact]
    public void Sums_are_identical_to_the_bit_for_any_band_height()
    {
        const int cols = 14, rows = 13;
        var rng = new Random(3);
        var coverage = new List<(string, Technology, string)>();
        foreach ((string op, Technology tech) in new[] { ("OpA", Technology.G2), ("OpA", Technology.G4), ("OpB", Technology.G3) })
        {
            for (int site = 0; site < 3; site++)
            {
                Geometry disc = F.CreatePoint(new Coordinate(rng.NextDouble() * cols, rng.NextDouble() * rows)).Buffer(2 + (rng.NextDouble() * 3), 5);
                coverage.Add((op, tech, disc.AsText()));
            }
        }

        OverlayModel model = Model(cols, rows,
            ["POLYGON((-1 -1, 7.3 -1, 6.1 14, -1 14, -1 -1))", "POLYGON((7.3 -1, 15 -1, 15 14, 6.1 14, 7.3 -1))"], [.. coverage]);
        float[] pop = Population(cols, rows, 3);
        BandResult first = Run(model, pop, 1);
        foreach (int bandHeight in new[] { 2, 5, 13 })
        {
            BandResult other = Run(model, pop, bandHeight);
            Assert.Equal(first.Units[0], other.Units[0]);
            Assert.Equal(first.NationalCovered, other.NationalCovered);
            Assert.Equal(first.OutsideAdmin, other.OutsideAdmin);
            Assert.Equal(first.ValidPopulation, other.ValidPopulation);
            Assert.Equal(first.ExactCells, other.ExactCells);
        }
    }

    [Fact]
    public void Levels_nest_and_union_is_at_least_the_best_operator()
    {
        OverlayModel model = Model(10, 10, ["POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))"],
        [
            ("OpA", Technology.G2, "POLYGON((0 0, 6 0, 6 6, 0 6, 0 0))"),
            ("OpA", Technology.G4, "POLYGON((5.5 5.5, 9 5.5, 9 9, 5.5 9, 5.5 5.5))"),
            ("OpB", Technology.G3, "POLYGON((2 2, 8.2 2, 8.2 3.3, 2 3.3, 2 2))"),
        ]);
        float[] pop = Population(10, 10, 7, 0);
        BandResult r = Run(model, pop, 4);
        double[] u = r.Units[0];
        Assert.True(u[1] >= u[2] && u[2] >= u[3], "2G >= 3G >= 4G");
        var stats = Ewcm.Engine.Outputs.UnitStats.From(model, u, 0);
        for (int t = 0; t < 3; t++)
        {
            Assert.True(stats.Covered[t] >= stats.Sdg[t] - 1e-9);
        }

        // At least 4G is OpA's 4G square alone; at least 3G adds OpB's strip (the union, not the max).
        Geometry square = Wkt.Read("POLYGON((5.5 5.5, 9 5.5, 9 9, 5.5 9, 5.5 5.5))");
        Geometry strip = Wkt.Read("POLYGON((2 2, 8.2 2, 8.2 3.3, 2 3.3, 2 2))");
        Geometry all = model.Levels[0].Units[0].GridGeometry;
        Assert.Equal(Oracle(pop, 10, 10, all, square), stats.Covered[2], 9);
        Assert.Equal(Oracle(pop, 10, 10, all, square.Union(strip)), stats.Covered[1], 9);
        Assert.Equal("OpA", stats.SdgOperator[0]);
    }

    [Fact]
    public void Overlapping_admin_units_share_people_instead_of_counting_them_twice()
    {
        // Unit 1 overlaps unit 0 on the strip 4 <= x <= 5.
        OverlayModel model = Model(8, 2,
            ["POLYGON((0 0, 5 0, 5 2, 0 2, 0 0))", "POLYGON((4 0, 8 0, 8 2, 4 2, 4 0))"],
            [("OpA", Technology.G2, "POLYGON((0 0, 8 0, 8 2, 0 2, 0 0))")]);
        float[] pop = Enumerable.Repeat(10f, 16).ToArray();
        BandResult r = Run(model, pop, 2);
        double sum = r.Units[0][0] + r.Units[0][r.Stride];
        Assert.Equal(160, sum, 9);
        Assert.Equal(90, r.Units[0][0], 9); // 4 columns of its own × 2 rows × 10 + half of the shared column
        Assert.True(r.OverlapCells > 0);
    }

    [Fact]
    public void Uncovered_output_keeps_nodata_and_removes_covered_people()
    {
        OverlayModel model = Model(4, 1, ["POLYGON((0 0, 4 0, 4 1, 0 1, 0 0))"],
            [("OpA", Technology.G2, "POLYGON((0 0, 1.5 0, 1.5 1, 0 1, 0 0))")]);
        float[] pop = [8, 8, float.NaN, 8];
        var uncovered = new float[4];
        BandResult r = Run(model, pop, 1, uncovered);
        Assert.Equal([0f, 4f, BandProcessor.OutputNoData, 8f], uncovered);
        Assert.Equal(12, r.Units[0][0] - r.Units[0][1], 9);
    }

    [Theory]
    [InlineData(5, 3)]
    [InlineData(6, 12)]
    public void Byte_coverage_rows_are_the_quantized_fraction_rows(int seed, int bandHeight)
    {
        // The rasters take bytes made straight from the spans; they must equal the float fractions quantized cell by cell.
        const int cols = 14, rows = 12;
        const float quantum = 1f / 250;
        var rng = new Random(seed);
        var coverage = new List<(string, Technology, string)>();
        foreach ((string op, Technology tech) in new[] { ("OpA", Technology.G2), ("OpB", Technology.G3), ("OpA", Technology.G4) })
        {
            Geometry disc = F.CreatePoint(new Coordinate(rng.NextDouble() * cols, rng.NextDouble() * rows)).Buffer(2 + (rng.NextDouble() * 5), 5);
            coverage.Add((op, tech, disc.AsText()));
        }

        OverlayModel model = Model(cols, rows, ["POLYGON((-1 -1, 15 -1, 15 13, -1 13, -1 -1))"], [.. coverage]);
        float[] pop = Population(cols, rows, seed);
        var edges = new EdgeBuckets(model.AllGeometries(), rows, bandHeight);
        var processor = new BandProcessor(model, edges);
        int levels = model.TechnologyLevels.Count;
        float[][] fractions = [.. Enumerable.Range(0, levels).Select(_ => new float[bandHeight * cols])];
        var bytes = new QuantizedLevels([.. Enumerable.Range(0, levels).Select(_ => (Memory<byte>)Enumerable.Repeat((byte)77, bandHeight * cols).ToArray())], quantum);
        int partial = 0;
        for (int b = 0; b < edges.BandCount; b++)
        {
            int r0 = b * bandHeight, n = Math.Min(bandHeight, rows - r0);
            processor.Process(b, pop.AsSpan(r0 * cols, n * cols), Span<float>.Empty, fractions, null, null, bytes);
            for (int t = 0; t < levels; t++)
            {
                for (int i = 0; i < n * cols; i++)
                {
                    Assert.Equal(ByteQuantizer.Quantize(fractions[t][i], quantum), bytes.Rows[t].Span[i]);
                    partial += fractions[t][i] is > 0 and < 1 ? 1 : 0;
                }
            }
        }

        Assert.True(partial > 0);
    }

    [Fact]
    public void People_outside_every_admin_unit_are_reported()
    {
        OverlayModel model = Model(4, 2, ["POLYGON((0 0, 2.5 0, 2.5 2, 0 2, 0 0))"],
            [("OpA", Technology.G2, "POLYGON((0 0, 4 0, 4 2, 0 2, 0 0))")]);
        float[] pop = Enumerable.Repeat(1f, 8).ToArray();
        BandResult r = Run(model, pop, 2);
        Assert.Equal(5, r.Units[0][0], 9);
        Assert.Equal(3, r.OutsideAdmin[0], 9);
        Assert.Equal(8, r.NationalCovered[0], 9);
    }
}
