using Ewcm.Engine.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Tests.Coverage;

/// <summary>Tiny grids with hand-computed fractions (grid space: x = column, y = row downward).</summary>
public class BandRasterizerTests
{
    private static readonly WKTReader Wkt = new();

    internal static double[,] Rasterize(string wkt, int cols, int rows, int bandHeight = 1000)
    {
        var segments = new List<Segment>();
        GridEdges.Append(Wkt.Read(wkt), segments);
        var result = new double[rows, cols];
        var rasterizer = new BandRasterizer(cols);
        var band = new BandCoverage();
        for (int r0 = 0; r0 < rows; r0 += bandHeight)
        {
            int n = Math.Min(bandHeight, rows - r0);
            rasterizer.Rasterize(segments.ToArray(), r0, n, band);
            for (int r = 0; r < n; r++)
            {
                for (int k = band.RowOffsets[r]; k < band.RowOffsets[r + 1]; k++)
                {
                    for (int c = band.Start[k]; c < band.End[k]; c++)
                    {
                        Assert.Equal(0, result[r0 + r, c]); // spans are disjoint
                        result[r0 + r, c] = band.Value[k];
                    }
                }
            }
        }

        return result;
    }

    private static void AssertMatrix(double[,] expected, double[,] actual, double tol = 1e-12)
    {
        for (int r = 0; r < expected.GetLength(0); r++)
        {
            for (int c = 0; c < expected.GetLength(1); c++)
            {
                Assert.True(Math.Abs(expected[r, c] - actual[r, c]) <= tol,
                    $"cell ({r},{c}): expected {expected[r, c]}, got {actual[r, c]}");
            }
        }
    }

    [Fact]
    public void Basic_rectangle_gives_quarter_half_and_full_cells()
    {
        double[,] f = Rasterize("POLYGON((0.5 0.5, 2.5 0.5, 2.5 2.5, 0.5 2.5, 0.5 0.5))", 3, 3);
        AssertMatrix(new double[,] { { 0.25, 0.5, 0.25 }, { 0.5, 1, 0.5 }, { 0.25, 0.5, 0.25 } }, f);
    }

    [Fact]
    public void Ring_orientation_does_not_matter()
    {
        double[,] cw = Rasterize("POLYGON((0.5 0.5, 0.5 2.5, 2.5 2.5, 2.5 0.5, 0.5 0.5))", 3, 3);
        AssertMatrix(new double[,] { { 0.25, 0.5, 0.25 }, { 0.5, 1, 0.5 }, { 0.25, 0.5, 0.25 } }, cw);
    }

    [Fact]
    public void Triangle_cut_on_the_diagonal_gives_half_cells()
    {
        // Lower-left triangle of the 3x3 square in grid space: x <= y.
        double[,] f = Rasterize("POLYGON((0 0, 3 3, 0 3, 0 0))", 3, 3);
        AssertMatrix(new double[,] { { 0.5, 0, 0 }, { 1, 0.5, 0 }, { 1, 1, 0.5 } }, f);
    }

    [Fact]
    public void Hole_is_subtracted_exactly()
    {
        double[,] f = Rasterize("POLYGON((0 0, 3 0, 3 3, 0 3, 0 0), (1.25 1.25, 1.75 1.25, 1.75 1.75, 1.25 1.75, 1.25 1.25))", 3, 3);
        AssertMatrix(new double[,] { { 1, 1, 1 }, { 1, 0.75, 1 }, { 1, 1, 1 } }, f);
    }

    [Fact]
    public void Polygon_larger_than_the_grid_covers_every_cell()
    {
        double[,] f = Rasterize("POLYGON((-5 -5, 8 -5, 8 8, -5 8, -5 -5))", 3, 3);
        AssertMatrix(new double[,] { { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } }, f);
    }

    [Fact]
    public void Polygon_crossing_the_left_and_right_edges_is_clipped()
    {
        // From x=-1 to x=1.5 on rows 0..1, and a sloped right side beyond the grid.
        double[,] f = Rasterize("POLYGON((-1 0, 1.5 0, 1.5 1, -1 1, -1 0))", 3, 1);
        AssertMatrix(new double[,] { { 1, 0.5, 0 } }, f);
        double[,] g = Rasterize("POLYGON((2.5 0, 9 0, 9 1, 2.5 1, 2.5 0))", 3, 1);
        AssertMatrix(new double[,] { { 0, 0, 0.5 } }, g);
    }

    [Fact]
    public void Sloped_edge_across_many_columns_in_one_row()
    {
        // Triangle (0,0)-(3,0)-(0,1): within row 0, the area under the line y = 1 - x/3.
        double[,] f = Rasterize("POLYGON((0 0, 3 0, 0 1, 0 0))", 3, 1);
        AssertMatrix(new double[,] { { 5.0 / 6, 3.0 / 6, 1.0 / 6 } }, f);
    }

    [Fact]
    public void Bands_give_the_same_answer_as_one_pass()
    {
        const string wkt = "MULTIPOLYGON(((0.3 0.2, 4.7 1.1, 3.9 5.8, 0.1 4.4, 0.3 0.2)), ((5.1 0.1, 5.9 0.1, 5.9 5.9, 5.1 0.1)))";
        double[,] one = Rasterize(wkt, 6, 6);
        double[,] banded = Rasterize(wkt, 6, 6, bandHeight: 2);
        AssertMatrix(one, banded, 1e-13);
    }

    [Fact]
    public void Sum_of_fractions_equals_polygon_area()
    {
        var poly = Wkt.Read("POLYGON((0.37 0.11, 7.7 2.9, 5.2 7.93, 2.1 6.02, 0.2 3.3, 0.37 0.11), (2 3, 3 3, 2.5 4.5, 2 3))");
        double[,] f = Rasterize(poly.AsText(), 8, 8);
        double sum = 0;
        foreach (double v in f)
        {
            Assert.InRange(v, 0, 1);
            sum += v;
        }

        Assert.Equal(poly.Area, sum, 12);
    }

    [Fact]
    public void Shifting_by_whole_cells_shifts_the_fractions()
    {
        double[,] a = Rasterize("POLYGON((0.2 0.3, 1.7 0.4, 1.1 1.9, 0.2 0.3))", 4, 4);
        double[,] b = Rasterize("POLYGON((2.2 1.3, 3.7 1.4, 3.1 2.9, 2.2 1.3))", 4, 4);
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 2; c++)
            {
                Assert.Equal(a[r, c], b[r + 1, c + 2], 12);
            }
        }
    }
}
