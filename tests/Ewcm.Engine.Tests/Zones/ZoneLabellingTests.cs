using Ewcm.Engine.Zones;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>Labelling and polygon tracing on synthetic grids with known answers, checked against a flood fill.</summary>
public class ZoneLabellingTests
{
    private static readonly GeometryFactory Factory = new();

    [Fact]
    public void A_ring_around_a_covered_hole_is_one_zone_whose_polygon_has_a_hole()
    {
        string[] grid =
        [
            ".....",
            ".###.",
            ".#c#.",
            ".###.",
            ".....",
        ];
        ZoneSet set = ZoneGrids.Label(grid, bandHeight: 2, connectivity: 8);

        Assert.Equal(1, set.Count);
        Assert.Equal((1, 1), set.FirstCell(0));
        Assert.Equal(8, set.Cells(0));
        var polygon = Assert.IsType<Polygon>(ZoneTracer.Trace(set.RunsOf(0), Factory));
        Assert.True(polygon.IsValid);
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.Equal(8, polygon.Area);
        Assert.Equal(5, polygon.ExteriorRing.NumPoints); // four corners and the closing point: collinear points dropped
        Assert.Equal(1, Factory.CreatePolygon((LinearRing)polygon.InteriorRings[0]).Area);
    }

    [Fact]
    public void Cells_touching_only_at_a_corner_are_one_zone_under_8_connectivity_and_two_under_4()
    {
        string[] grid =
        [
            "#..",
            ".#.",
            "..#",
        ];
        ZoneSet eight = ZoneGrids.Label(grid, bandHeight: 1, connectivity: 8);
        ZoneSet four = ZoneGrids.Label(grid, bandHeight: 1, connectivity: 4);

        Assert.Equal(1, eight.Count);
        Assert.Equal(3, four.Count);
        // The three squares touch at points: a valid MultiPolygon, not a self-touching ring.
        var multi = Assert.IsType<MultiPolygon>(ZoneTracer.Trace(eight.RunsOf(0), Factory));
        Assert.True(multi.IsValid);
        Assert.Equal(3, multi.NumGeometries);
        Assert.Equal(3, multi.Area);
    }

    [Fact]
    public void A_hole_touching_the_outline_at_a_corner_gives_a_valid_polygon()
    {
        string[] grid =
        [
            "####",
            "#.##",
            "##.#",
            "####",
        ];
        Geometry shape = ZoneTracer.Trace(ZoneGrids.Label(grid, 4, 8).RunsOf(0), Factory);
        Assert.True(shape.IsValid, shape.ToText());
        Assert.Equal(14, shape.Area);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(100)]
    public void A_zone_crossing_band_borders_is_merged_whatever_the_band_height(int bandHeight)
    {
        // A comb: its teeth meet only in the last row, so every band alone sees separate pieces.
        string[] grid =
        [
            "#.#.#.#",
            "#.#.#.#",
            "#.#.#.#",
            "#.#.#.#",
            "#######",
            "c......",
            ".#.#...",
            "#...#..",
        ];
        ZoneSet set = ZoneGrids.Label(grid, bandHeight, connectivity: 8);

        Assert.Equal(3, set.Count);
        Assert.Equal((0, 0), set.FirstCell(0));
        Assert.Equal(23, set.Cells(0));
        Assert.Equal((6, 1), set.FirstCell(1)); // the lower pairs touch diagonally only
        Assert.Equal(2, set.Cells(1));
        Assert.Equal((6, 3), set.FirstCell(2));
        Assert.Equal(ZoneGrids.Label(grid, 100, 8).People(0), set.People(0));
    }

    [Fact]
    public void Random_grids_agree_with_a_flood_fill_and_polygons_are_the_exact_union_of_their_cells()
    {
        var random = new Random(4);
        for (int trial = 0; trial < 24; trial++)
        {
            int columns = random.Next(1, 19), rows = random.Next(1, 17);
            double density = 0.3 + (0.4 * random.NextDouble());
            var uncovered = new double[columns * rows];
            var covered = new float[columns * rows];
            for (int i = 0; i < uncovered.Length; i++)
            {
                uncovered[i] = random.NextDouble() < density ? 0.5 + random.Next(0, 40) : 0;
                covered[i] = uncovered[i] == 0 && random.NextDouble() < 0.5 ? 1 : 0;
            }

            foreach (int connectivity in new[] { 4, 8 })
            {
                var expected = ZoneGrids.FloodFill(uncovered, columns, rows, connectivity);
                foreach (int bandHeight in new[] { 1, 2, 3, 5, 64 })
                {
                    ZoneSet set = ZoneGrids.Label(uncovered, covered, columns, rows, bandHeight, connectivity);
                    string where = $"trial {trial}, {connectivity}-connected, bands of {bandHeight}";
                    Assert.True(expected.Count == set.Count, where);
                    for (int z = 0; z < set.Count; z++)
                    {
                        Assert.True((expected[z].Row, expected[z].Column) == set.FirstCell(z), where);
                        Assert.True(expected[z].Cells == set.Cells(z), where);
                        Assert.True(Math.Abs(expected[z].People - set.People(z)) < 1e-9, where);
                        if (bandHeight == 2)
                        {
                            Geometry shape = ZoneTracer.Trace(set.RunsOf(z), Factory);
                            Assert.True(shape.IsValid, $"{where}, zone {z}: {shape.ToText()}");
                            Assert.Equal(set.Cells(z), shape.Area);
                            Assert.Equal(0, shape.SymmetricDifference(ZoneGrids.CellUnion(set, z)).Area);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Zones_of_many_corner_touching_parts_and_holes_trace_to_valid_exact_polygons()
    {
        // Near the percolation threshold an 8-connected zone is many edge-connected parts touching at
        // corners, parts inside other parts' holes, and holes touching at corners: every hole must go to the
        // outer ring of its own part.
        var random = new Random(21);
        int multiPartWithHoles = 0;
        for (int trial = 0; trial < 6; trial++)
        {
            const int columns = 48, rows = 40;
            var uncovered = new double[columns * rows];
            for (int i = 0; i < uncovered.Length; i++)
            {
                uncovered[i] = random.NextDouble() < 0.5 + (0.03 * trial) ? 1 : 0;
            }

            ZoneSet set = ZoneGrids.Label(uncovered, new float[uncovered.Length], columns, rows, 5, 8);
            for (int z = 0; z < set.Count; z++)
            {
                Geometry shape = ZoneTracer.Trace(set.RunsOf(z), Factory);
                Assert.True(shape.IsValid, $"trial {trial}, zone {z}");
                Assert.Equal(set.Cells(z), shape.Area);
                Assert.Equal(0, shape.SymmetricDifference(ZoneGrids.CellUnion(set, z)).Area);
                if (shape is MultiPolygon && Enumerable.Range(0, shape.NumGeometries).Any(i => ((Polygon)shape.GetGeometryN(i)).NumInteriorRings > 0))
                {
                    multiPartWithHoles++;
                }
            }
        }

        Assert.True(multiPartWithHoles > 0);
    }

    [Fact]
    public void Outlines_on_blocks_are_valid_hold_every_cell_stay_on_the_grid_and_have_fewer_points()
    {
        var random = new Random(9);
        long exactPoints = 0, blockPoints = 0;
        for (int trial = 0; trial < 8; trial++)
        {
            // Sizes not divisible by the blocks: the last block of a row or column is cut at the grid's edge.
            int columns = 37 + trial, rows = 29 + (2 * trial);
            var uncovered = new double[columns * rows];
            for (int i = 0; i < uncovered.Length; i++)
            {
                uncovered[i] = random.NextDouble() < 0.45 + (0.03 * trial) ? 1 : 0;
            }

            ZoneSet set = ZoneGrids.Label(uncovered, new float[uncovered.Length], columns, rows, 7, 8);
            for (int z = 0; z < set.Count; z++)
            {
                Geometry exact = ZoneTracer.Trace(set.RunsOf(z), Factory);
                Assert.True(exact.EqualsExact(ZoneTracer.TraceOnBlocks(set.RunsOf(z), 1, columns, rows, Factory)));
                exactPoints += exact.NumPoints;
                foreach (int block in new[] { 2, 3, 5 })
                {
                    Geometry outline = ZoneTracer.TraceOnBlocks(set.RunsOf(z), block, columns, rows, Factory);
                    string where = $"trial {trial}, zone {z}, blocks of {block}";
                    Assert.True(outline.IsValid, $"{where}: {outline.ToText()}");
                    Assert.Equal(0, ZoneGrids.CellUnion(set, z).Difference(outline).Area);
                    Envelope e = outline.EnvelopeInternal;
                    Assert.True(e.MinX >= 0 && e.MaxX <= columns && e.MaxY <= 0 && e.MinY >= -rows, where);
                    // Whole blocks (or the cut last ones): every vertex is on a block line or the grid's edge.
                    Assert.All(outline.Coordinates, c => Assert.True(
                        (c.X % block == 0 || c.X == columns) && (-c.Y % block == 0 || -c.Y == rows), $"{where}: {c}"));
                    if (block == 3)
                    {
                        blockPoints += outline.NumPoints;
                    }
                }
            }
        }

        Assert.True(blockPoints * 2 < exactPoints, $"{blockPoints} points on blocks of 3, {exactPoints} on cells");
    }

    [Fact]
    public void Zones_and_the_cells_below_the_minimum_add_up_to_every_uncovered_person()
    {
        var random = new Random(9);
        const int columns = 40, rows = 30;
        var uncovered = new double[columns * rows];
        for (int i = 0; i < uncovered.Length; i++)
        {
            uncovered[i] = random.NextDouble() < 0.5 ? random.NextDouble() * 3 : 0;
        }

        ZoneSet set = ZoneGrids.Label(uncovered, new float[uncovered.Length], columns, rows, 7, 8, minCellPeople: 1);

        double zones = Enumerable.Range(0, set.Count).Sum(set.People);
        double expected = uncovered.Sum();
        Assert.Equal(expected, set.AllUncovered, 1e-9);
        Assert.Equal(uncovered.Where(v => v <= 1).Sum(), set.BelowCellMinimum, 1e-9);
        Assert.Equal(expected, zones + set.BelowCellMinimum, 1e-9);
        Assert.Equal(ZoneGrids.FloodFill([.. uncovered.Select(v => v > 1 ? v : 0)], columns, rows, 8).Count, set.Count);
    }

    [Fact]
    public void Zones_below_the_minimum_are_counted_as_they_close_and_only_the_rest_are_kept()
    {
        var random = new Random(12);
        const int columns = 60, rows = 45;
        var uncovered = new double[columns * rows];
        for (int i = 0; i < uncovered.Length; i++)
        {
            uncovered[i] = random.NextDouble() < 0.25 ? 1 + random.Next(0, 9) : 0;
        }

        var all = ZoneGrids.FloodFill(uncovered, columns, rows, 8);
        const double minimum = 15;
        var big = all.Where(z => z.People >= minimum).ToList();
        Assert.True(big.Count > 1 && big.Count < all.Count); // the grid has zones on both sides of the minimum
        foreach (int bandHeight in new[] { 1, 4, 45 })
        {
            var builder = new ZoneBuilder(columns, rows, _ => 1.0, new Inputs.BlankZoneSettings(MinPeople: minimum), []);
            int bands = (rows + bandHeight - 1) / bandHeight;
            Parallel.For(0, bands, new ParallelOptions { MaxDegreeOfParallelism = 2 }, b =>
            {
                int row0 = b * bandHeight, n = Math.Min(bandHeight, rows - row0) * columns;
                builder.AcceptBand(b, row0, n / columns, uncovered.AsSpan(row0 * columns, n), new float[n], [], null);
            });
            ZoneSet set = builder.Merge();

            Assert.Equal(big.Select(z => (z.Row, z.Column, z.Cells)), Enumerable.Range(0, set.Count).Select(z => (set.FirstCell(z).Row, set.FirstCell(z).Column, (int)set.Cells(z))));
            Assert.Equal(all.Count - big.Count, set.SmallZones);
            Assert.Equal(all.Where(z => z.People < minimum).Sum(z => z.People), set.SmallZonePeople, 1e-9);
            // Each kept zone's runs are row-major and hold exactly its cells.
            for (int z = 0; z < set.Count; z++)
            {
                ReadOnlySpan<CellRun> runs = set.RunsOf(z);
                long cells = 0;
                for (int k = 0; k < runs.Length; k++)
                {
                    Assert.True(k == 0 || runs[k - 1].Row < runs[k].Row || (runs[k - 1].Row == runs[k].Row && runs[k - 1].End < runs[k].Start));
                    cells += runs[k].End - runs[k].Start;
                }

                Assert.Equal(set.Cells(z), cells);
            }
        }
    }

    [Fact]
    public void Extra_layers_are_summed_per_zone()
    {
        string[] grid = ["##.#"];
        (double[] u, float[] c, int columns, int rows) = ZoneGrids.Parse(grid);
        float[] flood = [0.5f, 0.25f, 9f, 2f];

        ZoneSet set = ZoneGrids.Label(u, c, columns, rows, 1, 8, extras: [flood], extraNames: ["flood"]);

        Assert.Equal(["flood"], set.ExtraLayerNames);
        Assert.Equal(0.75, set.Extra(0, 0));
        Assert.Equal(2, set.Extra(1, 0));
    }

    [Fact]
    public void Extra_layer_names_must_make_column_names_and_every_band_must_bring_them()
    {
        var settings = new Inputs.BlankZoneSettings();
        Assert.Throws<ArgumentException>(() => new ZoneBuilder(2, 2, _ => 1, settings, ["Flood depth"]));
        Assert.Throws<ArgumentException>(() => new ZoneBuilder(2, 2, _ => 1, settings, ["flood", "flood"]));
        var builder = new ZoneBuilder(2, 2, _ => 1, settings, ["flood"]);
        Assert.Throws<ArgumentException>(() => builder.AcceptBand(0, 0, 2, new double[4], new float[4], [], null));
    }

    [Fact]
    public void The_result_does_not_depend_on_the_order_bands_arrive_in()
    {
        string[] grid = ["#.#", "###", "..#", "#.#"];
        (double[] u, float[] c, int columns, int rows) = ZoneGrids.Parse(grid);
        var builder = new ZoneBuilder(columns, rows, _ => 1, new Inputs.BlankZoneSettings(MinPeople: 0), []);
        // Bands of one row, given from two threads in a scrambled order.
        int[] order = [2, 0, 3, 1];
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 2 }, b =>
            builder.AcceptBand(b, b, 1, u.AsSpan(b * columns, columns), c.AsSpan(b * columns, columns), [], null));
        ZoneSet set = builder.Merge();

        Assert.Equal(2, set.Count);
        Assert.Equal((0, 0), set.FirstCell(0));
        Assert.Equal((3, 0), set.FirstCell(1));
    }

    [Fact]
    public void Merging_with_a_band_missing_is_refused()
    {
        var builder = new ZoneBuilder(2, 4, _ => 1, new Inputs.BlankZoneSettings(), []);
        builder.AcceptBand(0, 0, 2, new double[4], new float[4], [], null);

        var e = Assert.Throws<InvalidOperationException>(builder.Merge);
        Assert.Contains("2 rows at the bottom", e.Message, StringComparison.Ordinal);
    }
}
