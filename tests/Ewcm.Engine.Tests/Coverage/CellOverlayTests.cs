using Ewcm.Engine.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Tests.Coverage;

/// <summary>
/// The geometry of a polygon inside its partial cells, as rebuilt from the rasterizer's boundary pieces
/// and exact fraction (<see cref="CellOverlay"/>), against NTS's cellBox ∩ P: the area, the shape
/// (P's local geometry intersected with NTS's piece covers all of both), and intersections and unions
/// with other polygons. Grid space: x = column, y = row downward.
/// </summary>
public class CellOverlayTests
{
    private const double Tolerance = 1e-12;
    private static readonly WKTReader Wkt = new();
    private static readonly GeometryFactory F = new();

    /// <summary>Probe polygons crossing many cells of a 4 × 4 grid, with edges in every direction.</summary>
    private static readonly Geometry[] Probes =
    [
        Wkt.Read("POLYGON((0.13 -0.5, 4.5 3.71, -0.5 3.9, 0.13 -0.5))"),
        Wkt.Read("POLYGON((1.5 0.25, 3.7 1.5, 2.5 3.75, 0.3 2.5, 1.5 0.25))"),
        F.CreatePoint(new Coordinate(2.1, 1.9)).Buffer(1.37, 6),
        Wkt.Read("POLYGON((0 1.5, 4 1.5, 4 2, 0 2, 0 1.5))"), // edges along grid lines and through cell middles
    ];

    [Fact]
    public void Vertex_on_a_cell_corner() =>
        AssertMatchesNts("POLYGON((0.5 0.5, 1 1, 2.5 0.3, 2.6 2.7, 0.4 2.2, 0.5 0.5))");

    [Fact]
    public void Edge_through_cell_corners() =>
        AssertMatchesNts("POLYGON((0 0, 4 4, 0 4, 0 0))");

    [Fact]
    public void Vertex_touching_a_row_line_from_below() =>
        AssertMatchesNts("POLYGON((0.5 1.8, 1.5 1, 2.5 1.8, 1.5 2.6, 0.5 1.8))");

    [Fact]
    public void Vertex_touching_a_row_line_from_above() =>
        AssertMatchesNts("POLYGON((0.5 0.2, 2.5 0.2, 1.5 1, 0.5 0.2))");

    [Fact]
    public void Vertex_touching_a_column_line() =>
        AssertMatchesNts("POLYGON((0.2 0.5, 2 1.5, 0.2 2.5, 0.2 0.5))");

    [Fact]
    public void Two_parts_touching_at_one_point_of_a_cell_edge() =>
        AssertMatchesNts("MULTIPOLYGON(((0.5 0.5, 1.5 1, 0.5 1.5, 0.5 0.5)), ((2.5 0.5, 2.5 1.5, 1.5 1, 2.5 0.5)))");

    [Fact]
    public void Two_parts_touching_at_a_cell_corner() =>
        AssertMatchesNts("MULTIPOLYGON(((0.3 0.4, 2 2, 0.2 1.7, 0.3 0.4)), ((2 2, 3.6 2.3, 3.1 3.8, 2 2)))");

    [Fact]
    public void Hole_touching_a_row_line_from_inside_the_cell() =>
        AssertMatchesNts("POLYGON((0.2 0.2, 3.8 0.2, 3.8 3.8, 0.2 3.8, 0.2 0.2), (1.5 1, 1.8 1.6, 1.2 1.7, 1.5 1))");

    [Fact]
    public void Hole_touching_the_shell_on_a_cell_edge() =>
        AssertMatchesNts("POLYGON((0.5 0.5, 3.5 0.5, 3.5 2, 3.5 3.5, 0.5 3.5, 0.5 0.5), (3.5 2, 2.4 2.6, 2.3 1.4, 3.5 2))");

    [Fact]
    public void Edge_lying_on_a_row_line() =>
        AssertMatchesNts("POLYGON((0.5 1, 2.5 1, 2.5 2.5, 0.5 2.5, 0.5 1))");

    [Fact]
    public void Edge_lying_on_a_column_line() =>
        AssertMatchesNts("POLYGON((1 0.5, 2.5 0.5, 2.5 2.5, 1 2.5, 1 0.5))");

    [Fact]
    public void Square_on_grid_lines_has_no_partial_cell() =>
        AssertMatchesNts("POLYGON((1 1, 3 1, 3 2, 1 2, 1 1))");

    [Fact]
    public void Horizontal_edges_inside_cells() =>
        AssertMatchesNts("POLYGON((0.3 0.5, 3.7 0.5, 3.7 2.5, 0.3 2.5, 0.3 0.5))");

    [Fact]
    public void Polygon_inside_one_cell() =>
        AssertMatchesNts("POLYGON((1.2 1.2, 1.8 1.3, 1.5 1.9, 1.2 1.2))");

    [Fact]
    public void Hole_inside_one_cell() =>
        AssertMatchesNts("POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1.2 1.2, 1.5 1.9, 1.8 1.3, 1.2 1.2))");

    [Fact]
    public void Island_in_a_hole_in_one_cell() =>
        AssertMatchesNts("MULTIPOLYGON(((0 0, 4 0, 4 4, 0 4, 0 0), (1.1 1.1, 1.9 1.1, 1.9 1.9, 1.1 1.9, 1.1 1.1)), ((1.3 1.3, 1.7 1.3, 1.7 1.7, 1.3 1.7, 1.3 1.3)))");

    [Fact]
    public void Boundary_leaving_and_entering_a_cell_through_the_same_side() =>
        AssertMatchesNts("POLYGON((0.2 0.2, 3.8 0.2, 3.8 3.8, 1.7 3.8, 1.5 1.3, 1.3 3.8, 0.2 3.8, 0.2 0.2))");

    [Fact]
    public void Several_chains_in_one_cell() =>
        AssertMatchesNts("POLYGON((0.2 0.2, 3.8 0.2, 3.8 3.8, 0.2 3.8, 0.2 1.8, 1.6 1.7, 0.2 1.6, 0.2 1.4, 1.6 1.3, 0.2 1.2, 0.2 0.2))");

    [Fact]
    public void Edges_left_of_the_grid_carry_their_cover() =>
        AssertMatchesNts("POLYGON((-2 0.5, 1.5 0.5, 1.5 2.5, -2 2.5, -2 0.5))");

    [Fact]
    public void Polygon_larger_than_the_grid() =>
        AssertMatchesNts("POLYGON((-5 -5, 9 -5, 9 9, -5 9, -5 -5), (1.25 1.25, 2.75 1.5, 1.5 2.75, 1.25 1.25))");

    [Fact]
    public void Intersection_of_polygons_sharing_an_edge_is_exact()
    {
        // A unit's edge and a coverage edge on the same line: the intersection is the strip between them.
        Geometry a = Wkt.Read("POLYGON((0.2 0.3, 2.7 1.9, 0.2 3.5, 0.2 0.3))");
        Geometry m = Wkt.Read("POLYGON((0.2 0.3, 2.7 1.9, 3.8 0.2, 0.2 0.3))");
        Geometry b = Wkt.Read("POLYGON((1.45 1.1, 3.9 1.1, 3.9 3.9, 1.45 3.9, 1.45 1.1))");
        AssertPairMatchesNts(a, m, 4, 4);
        AssertPairMatchesNts(a, b, 4, 4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_polygons_with_holes_match_nts(int seed)
    {
        var rng = new Random(seed);
        for (int i = 0; i < 40; i++)
        {
            Geometry p = RandomPolygonWithHoles(rng, 6);
            Geometry q = RandomPolygonWithHoles(rng, 6);
            AssertMatchesNts(p, 6, 6, []);
            AssertPairMatchesNts(p, q, 6, 6);
        }
    }

    private static void AssertMatchesNts(string wkt) => AssertMatchesNts(Wkt.Read(wkt), 4, 4, Probes);

    /// <summary>
    /// Every cell's fraction, and in partial cells the area and the shape of the local geometry and its
    /// intersections and unions with the probes, against NTS.
    /// </summary>
    private static void AssertMatchesNts(Geometry p, int cols, int rows, Geometry[] probes)
    {
        BandCoverage coverage = LocalCells.Rasterize(p, cols, rows);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double expected = LocalCells.NtsArea(r, c, p);
                (double fraction, PartialCell[] parts) = LocalCells.Cell(coverage, r, c);
                AssertClose(expected, fraction, $"fraction of cell ({r},{c})");
                if (parts.Length == 0)
                {
                    continue;
                }

                AssertClose(expected, LocalCells.OverlayArea(parts), $"local area of cell ({r},{c})");

                // Shape: NTS's cellBox ∩ P, rasterized on its own, must coincide with P's local geometry.
                Geometry clipped = LocalCells.Box(r, c).Intersection(p);
                (double clippedFraction, PartialCell[] clippedParts) = LocalCells.Cell(LocalCells.Rasterize(clipped, cols, rows), r, c);
                AssertClose(expected, clippedFraction, $"NTS piece of cell ({r},{c})");
                AssertClose(expected, LocalCells.OverlayArea(parts, clippedParts), $"P ∩ NTS piece in cell ({r},{c})");
                AssertClose(expected, LocalCells.OverlayArea([.. parts, .. clippedParts]), $"P ∪ NTS piece in cell ({r},{c})");
            }
        }

        foreach (Geometry q in probes)
        {
            AssertPairMatchesNts(p, q, cols, rows);
        }
    }

    /// <summary>In every cell where both are partial: area of P ∩ Q and of P ∪ Q, from their local geometries, against NTS.</summary>
    private static void AssertPairMatchesNts(Geometry p, Geometry q, int cols, int rows)
    {
        BandCoverage pc = LocalCells.Rasterize(p, cols, rows), qc = LocalCells.Rasterize(q, cols, rows);
        Geometry union = p.Union(q);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                PartialCell[] pp = LocalCells.Cell(pc, r, c).Parts, qp = LocalCells.Cell(qc, r, c).Parts;
                if (pp.Length == 0 || qp.Length == 0)
                {
                    continue;
                }

                AssertClose(LocalCells.NtsArea(r, c, p, q), LocalCells.OverlayArea(pp, qp), $"P ∩ Q in cell ({r},{c})");
                AssertClose(LocalCells.NtsArea(r, c, union), LocalCells.OverlayArea([.. pp, .. qp]), $"P ∪ Q in cell ({r},{c})");
            }
        }
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: NTS {expected:R}, Ewcm {actual:R}");

    /// <summary>
    /// A star-shaped polygon with up to two holes. A third of the coordinates are snapped to halves of a
    /// cell, so vertices fall on grid lines, cell corners and each other's lines; the result is repaired
    /// as the engine's inputs are.
    /// </summary>
    internal static Geometry RandomPolygonWithHoles(Random rng, int size)
    {
        double cx = 1 + (rng.NextDouble() * (size - 2)), cy = 1 + (rng.NextDouble() * (size - 2));
        double radius = 0.8 + (rng.NextDouble() * (size / 2.0));
        LinearRing shell = StarRing(rng, cx, cy, radius * 0.6, radius, 5 + rng.Next(12));
        var holes = new List<LinearRing>();
        for (int h = rng.Next(3); h > 0; h--)
        {
            double hx = cx + ((rng.NextDouble() - 0.5) * radius * 0.6), hy = cy + ((rng.NextDouble() - 0.5) * radius * 0.6);
            holes.Add(StarRing(rng, hx, hy, radius * 0.05, radius * 0.25, 3 + rng.Next(6)));
        }

        Geometry g = F.CreatePolygon(shell, [.. holes]);
        return g.IsValid ? g : GeometryFixer.Fix(g);
    }

    private static LinearRing StarRing(Random rng, double cx, double cy, double rMin, double rMax, int n)
    {
        var pts = new Coordinate[n + 1];
        for (int i = 0; i < n; i++)
        {
            double a = 2 * Math.PI * (i + (rng.NextDouble() * 0.8)) / n;
            double r = rMin + (rng.NextDouble() * (rMax - rMin));
            double x = cx + (r * Math.Cos(a)), y = cy + (r * Math.Sin(a));
            if (rng.NextDouble() < 0.33)
            {
                x = Math.Round(x * 2) / 2;
                y = Math.Round(y * 2) / 2;
            }

            pts[i] = new Coordinate(x, y);
        }

        pts[n] = pts[0];
        return F.CreateLinearRing(pts);
    }
}
