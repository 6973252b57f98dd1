using Ewcm.Engine.Coverage;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Union;

namespace Ewcm.Engine.Tests.Coverage;

/// <summary>Unions of several geometries' coverages, cell by cell, against NTS's union polygon.</summary>
public class CoverageUnionTests
{
    private const double Tolerance = 1e-12;
    private static readonly WKTReader Wkt = new();
    private static readonly GeometryFactory F = new();

    [Fact]
    public void Whole_cells_win_and_a_single_partial_geometry_keeps_its_fraction()
    {
        Geometry[] atoms =
        [
            Wkt.Read("POLYGON((0 0, 2 0, 2 1, 0 1, 0 0))"),          // whole cells of row 0
            Wkt.Read("POLYGON((1.5 0.5, 3.5 0.5, 3.5 1.5, 1.5 1.5, 1.5 0.5))"),
        ];
        AssertUnionMatchesNts(atoms, 4, 2);
    }

    [Fact]
    public void Atoms_sharing_an_edge_cover_the_cells_along_it_whole()
    {
        Geometry[] atoms =
        [
            Wkt.Read("POLYGON((0.2 0.2, 2.3 0.7, 1.1 3.8, 0.2 3.8, 0.2 0.2))"),
            Wkt.Read("POLYGON((2.3 0.7, 3.8 0.2, 3.8 3.8, 1.1 3.8, 2.3 0.7))"),
        ];
        AssertUnionMatchesNts(atoms, 4, 4);
    }

    [Fact]
    public void Identical_atoms_give_the_atom()
    {
        Geometry disc = F.CreatePoint(new Coordinate(2.3, 1.7)).Buffer(1.6, 5);
        AssertUnionMatchesNts([disc, disc.Copy(), disc.Copy()], 4, 4);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 6)]
    [InlineData(4, 12)]
    public void Overlapping_discs_match_the_nts_union(int seed, int count)
    {
        var rng = new Random(seed);
        for (int i = 0; i < 10; i++)
        {
            Geometry[] atoms = [.. Enumerable.Range(0, count).Select(_ => CellOverlayTests.RandomPolygonWithHoles(rng, 8))];
            AssertUnionMatchesNts(atoms, 8, 8);
        }
    }

    [Fact]
    public void Union_of_unions_matches_the_nts_union()
    {
        // Masks are built in steps (an operator's nested levels, then over operators): parts carry through.
        var rng = new Random(11);
        Geometry[] atoms = [.. Enumerable.Range(0, 5).Select(_ => CellOverlayTests.RandomPolygonWithHoles(rng, 8))];
        BandCoverage[] coverages = [.. atoms.Select(a => LocalCells.Rasterize(a, 8, 8))];
        var union = new CoverageUnion(new CellOverlay());
        var left = new BandCoverage();
        var right = new BandCoverage();
        var all = new BandCoverage();
        union.Build([coverages[0], coverages[1]], left);
        union.Build([coverages[2], coverages[3], coverages[4]], right);
        union.Build([left, right], all);
        AssertMatches(UnaryUnionOp.Union(atoms.ToList())!, all, 8, 8);
    }

    private static void AssertUnionMatchesNts(Geometry[] atoms, int cols, int rows)
    {
        var result = new BandCoverage();
        new CoverageUnion(new CellOverlay()).Build([.. atoms.Select(a => LocalCells.Rasterize(a, cols, rows))], result);
        AssertMatches(UnaryUnionOp.Union(atoms.ToList())!, result, cols, rows);
    }

    private static void AssertMatches(Geometry union, BandCoverage result, int cols, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            int previousEnd = -1;
            for (int k = result.RowOffsets[r]; k < result.RowOffsets[r + 1]; k++)
            {
                Assert.True(result.Start[k] >= previousEnd, "spans are sorted and disjoint");
                Assert.True(result.Value[k] == 1 || result.End[k] == result.Start[k] + 1, "partial spans are single cells");
                previousEnd = result.End[k];
            }

            for (int c = 0; c < cols; c++)
            {
                double expected = LocalCells.NtsArea(r, c, union);
                (double fraction, PartialCell[] parts) = LocalCells.Cell(result, r, c);
                Assert.True(Math.Abs(expected - fraction) <= Tolerance, $"cell ({r},{c}): NTS {expected:R}, union {fraction:R}");
                if (parts.Length > 0)
                {
                    // The parts of a partial cell describe the union itself.
                    double local = LocalCells.OverlayArea(parts);
                    Assert.True(Math.Abs(expected - local) <= Tolerance, $"cell ({r},{c}): NTS {expected:R}, from parts {local:R}");
                }
            }
        }
    }
}
