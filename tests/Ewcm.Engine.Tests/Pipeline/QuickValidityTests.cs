using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// The quick validity test against NTS IsValid: it may only say "surely valid" where NTS says valid, it
/// must say so for ordinary valid polygons (else it saves nothing), and it leaves touching rings to NTS.
/// </summary>
public class QuickValidityTests
{
    private static readonly WKTReader Reader = new();
    private static readonly GeometryFactory Factory = new();

    /// <summary>Valid polygons with disjoint rings: both say valid.</summary>
    [Theory]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))")]
    [InlineData("POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0))")]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2), (6 6, 8 6, 8 8, 6 8, 6 6))")]
    [InlineData("POLYGON ((0 0, 5 0, 10 0, 10 5, 10 10, 0 10, 0 0))")]
    [InlineData("POLYGON ((0 0, 10 0, 10 0, 10 10, 0 10, 0 10, 0 0, 0 0))")]
    [InlineData("POLYGON ((0 0, 10 0, 5 5, 10 10, 0 10, 0 0))")]
    [InlineData("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((2 0, 3 0, 3 1, 2 1, 2 0)))")]
    [InlineData("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 8 2, 8 8, 2 8, 2 2)), ((4 4, 6 4, 6 6, 4 6, 4 4)))")]
    [InlineData("MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 4 1, 4 4, 1 4, 1 1), (6 6, 9 6, 9 9, 6 9, 6 6)), ((7 7, 8 7, 8 8, 7 8, 7 7)))")]
    [InlineData("MULTIPOLYGON (((0 0, 3 0, 3 1, 0 1, 0 0)), ((0 2, 3 2, 3 3, 0 3, 0 2), (1 2.2, 2 2.2, 2 2.8, 1 2.8, 1 2.2)), ((4 -5, 5 -5, 5 10, 4 10, 4 -5)))")]
    public void Valid_polygons_with_disjoint_rings_are_surely_valid(string wkt)
    {
        Geometry g = Reader.Read(wkt);
        Assert.True(g.IsValid);
        Assert.True(QuickValidity.IsSurelyValid(g));
    }

    /// <summary>Invalid polygons: NTS says invalid and the quick test never says valid.</summary>
    [Theory]
    [InlineData("bow-tie", "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))")]
    [InlineData("self-touching ring", "POLYGON ((0 0, 4 0, 2 2, 4 4, 0 4, 2 2, 0 0))")]
    [InlineData("ring touching its own edge", "POLYGON ((0 0, 10 0, 10 10, 5 0.0, 0 10, 0 0))")]
    [InlineData("spike", "POLYGON ((0 0, 10 0, 10 10, 10 20, 10 12, 0 10, 0 0))")]
    [InlineData("collapsed ring", "POLYGON ((0 0, 1 1, 1 1, 0 0))")]
    [InlineData("zero-area ring", "POLYGON ((0 0, 5 0, 10 0, 0 0))")]
    [InlineData("hole outside shell", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (20 20, 22 20, 22 22, 20 22, 20 20))")]
    [InlineData("hole crossing shell", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (8 8, 12 8, 12 12, 8 12, 8 8))")]
    [InlineData("overlapping holes", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 6 2, 6 6, 2 6, 2 2), (4 4, 8 4, 8 8, 4 8, 4 4))")]
    [InlineData("hole inside hole", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 9 1, 9 9, 1 9, 1 1), (3 3, 5 3, 5 5, 3 5, 3 3))")]
    [InlineData("hole equal to shell", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 10 0, 10 10, 0 10, 0 0))")]
    [InlineData("nested shells", "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((2 2, 4 2, 4 4, 2 4, 2 2)))")]
    [InlineData("shell inside a shell, not in its hole", "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0), (6 6, 9 6, 9 9, 6 9, 6 6)), ((2 2, 4 2, 4 4, 2 4, 2 2)))")]
    [InlineData("overlapping shells", "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((5 5, 15 5, 15 15, 5 15, 5 5)))")]
    [InlineData("shells sharing an edge", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((1 0, 2 0, 2 1, 1 1, 1 0)))")]
    [InlineData("duplicate shells", "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((0 0, 1 0, 1 1, 0 1, 0 0)))")]
    [InlineData("hole splitting the interior", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (5 0, 10 5, 5 10, 0 5, 5 0))")]
    public void Invalid_polygons_are_never_surely_valid(string name, string wkt)
    {
        Geometry g = Reader.Read(wkt);
        Assert.False(g.IsValid, name);
        Assert.False(QuickValidity.IsSurelyValid(g), name);
    }

    /// <summary>Valid, but with rings that touch: left to NTS (the quick test only accepts disjoint rings).</summary>
    [Theory]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (0 0, 4 2, 2 4, 0 0))")]
    [InlineData("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2), (4 4, 6 4, 6 6, 4 6, 4 4))")]
    [InlineData("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((1 1, 2 1, 2 2, 1 2, 1 1)))")]
    public void Valid_polygons_with_touching_rings_are_left_to_nts(string wkt)
    {
        Geometry g = Reader.Read(wkt);
        Assert.True(g.IsValid);
        Assert.False(QuickValidity.IsSurelyValid(g));
    }

    [Fact]
    public void Non_finite_coordinates_empty_and_non_polygonal_geometries_are_left_to_nts()
    {
        Polygon nan = Factory.CreatePolygon([new(0, 0), new(10, 0), new(double.NaN, 10), new(0, 10), new(0, 0)]);
        Assert.False(nan.IsValid);
        Assert.False(QuickValidity.IsSurelyValid(nan));
        Polygon huge = Factory.CreatePolygon([new(0, 0), new(1e200, 0), new(1e200, 1e200), new(0, 0)]);
        Assert.False(QuickValidity.IsSurelyValid(huge));
        Assert.False(QuickValidity.IsSurelyValid(Polygon.Empty));
        Assert.False(QuickValidity.IsSurelyValid(Reader.Read("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)")));
        Assert.False(QuickValidity.IsSurelyValid(Reader.Read("GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0)))")));
        Assert.False(QuickValidity.IsSurelyValid(Reader.Read("LINESTRING (0 0, 1 1)")));
    }

    /// <summary>
    /// Points a hair's breadth off a line (one ulp): the filter cannot be sure and hands them to NTS
    /// rather than guess; points clearly off it are decided.
    /// </summary>
    [Fact]
    public void Nearly_collinear_points_are_left_to_nts_when_the_orientation_is_uncertain()
    {
        double y = 1.0 / 3.0;
        Assert.Equal(0, QuickValidity.Orientation(0, 0, 3, 1, 1, y));
        Assert.Equal(0, QuickValidity.Orientation(0, 0, 3, 1, 1, Math.BitIncrement(y)));
        Assert.Equal(1, QuickValidity.Orientation(0, 0, 3, 1, 1, y + 1e-9));
        Assert.Equal(-1, QuickValidity.Orientation(0, 0, 3, 1, 1, y - 1e-9));

        // A vertex of the hole one ulp above the shell's edge: the hole may touch the shell.
        Geometry g = Reader.Read(FormattableString.Invariant(
            $"POLYGON ((0 0, 3 1, 3 3, 0 3, 0 0), (1 {Math.BitIncrement(y):R}, 2 2, 1 2, 1 {Math.BitIncrement(y):R}))"));
        Assert.False(QuickValidity.IsSurelyValid(g));
    }

    /// <summary>
    /// Random polygons (star-shaped ones, which are valid, and random walks, mostly self-intersecting),
    /// alone, with holes and in MultiPolygons: "surely valid" only where NTS says valid, and for most
    /// of the valid star-shaped ones.
    /// </summary>
    [Fact]
    public void Random_polygons_agree_with_nts()
    {
        var random = new Random(20240611);
        int validStars = 0, surelyValidStars = 0, invalid = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            Geometry g = (trial % 4) switch
            {
                0 => Star(random, 0, 0, 10, random.Next(3, 60)),
                1 => RandomWalk(random, random.Next(4, 12)),
                2 => Factory.CreatePolygon(
                    Star(random, 0, 0, 10, random.Next(3, 40)).Shell,
                    [(LinearRing)Star(random, random.NextDouble() * 6 - 3, random.NextDouble() * 6 - 3, 1 + random.NextDouble() * 4, random.Next(3, 12)).Shell.Reverse()]),
                _ => Factory.CreateMultiPolygon([.. Enumerable.Range(0, random.Next(2, 6)).Select(_ =>
                    Star(random, random.NextDouble() * 40, random.NextDouble() * 40, 2 + random.NextDouble() * 8, random.Next(3, 20)))]),
            };
            bool valid = g.IsValid;
            bool sure = QuickValidity.IsSurelyValid(g);
            Assert.True(!sure || valid, g.AsText());
            invalid += valid ? 0 : 1;
            if (trial % 4 == 0)
            {
                validStars += valid ? 1 : 0;
                surelyValidStars += sure ? 1 : 0;
            }
        }

        Assert.True(invalid > 500, $"only {invalid} invalid cases: the test exercises too little");
        Assert.True(surelyValidStars > 0.95 * validStars, $"{surelyValidStars} of {validStars} valid star-shaped polygons accepted");
    }

    /// <summary>
    /// Through <see cref="GridGeometry.ToGridSpace"/>: parts split at the antimeridian and shifted next to
    /// each other touch along it, so NTS decides and merges them (not counted as a repair); shifted parts
    /// that stay apart pass the quick test; a bow-tie is still repaired.
    /// </summary>
    [Fact]
    public void Antimeridian_shifted_parts_and_repairs_are_unchanged()
    {
        var grid = new GridSpec(176.8, -15.5, 0.1, 0.1, 42, 30);
        Geometry split = Reader.Read("MULTIPOLYGON (((179 -17, 180 -17, 180 -16, 179 -16, 179 -17)), ((-180 -17, -179 -17, -179 -16, -180 -16, -180 -17)))");
        Assert.True(split.IsValid);
        GridGeometry.Prepared merged = GridGeometry.ToGridSpace(split, grid, geographic: true);
        Assert.True(merged.Shifted);
        Assert.False(merged.Repaired);
        Assert.True(merged.Geometry.IsValid);
        Assert.Equal(1, merged.Geometry.NumGeometries);
        Assert.Equal(200, merged.Geometry.Area, 9);

        Geometry apart = Reader.Read("MULTIPOLYGON (((179 -17, 179.5 -17, 179.5 -16, 179 -16, 179 -17)), ((-179.5 -17, -179 -17, -179 -16, -179.5 -16, -179.5 -17)))");
        GridGeometry.Prepared shifted = GridGeometry.ToGridSpace(apart, grid, geographic: true);
        Assert.True(shifted.Shifted);
        Assert.False(shifted.Repaired);
        Assert.Equal(2, shifted.Geometry.NumGeometries);
        Assert.True(QuickValidity.IsSurelyValid(shifted.Geometry));

        GridGeometry.Prepared bowTie = GridGeometry.ToGridSpace(Reader.Read("POLYGON ((177 -16, 178 -17, 178 -16, 177 -17, 177 -16))"), grid, geographic: true);
        Assert.True(bowTie.Repaired);
        Assert.True(bowTie.Geometry.IsValid);
        Assert.Equal(50, bowTie.Geometry.Area, 9);
    }

    private static Polygon Star(Random random, double cx, double cy, double radius, int n)
    {
        var angles = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 * Math.PI).Distinct().Order().ToArray();
        if (angles.Length < 3)
        {
            angles = [0, 2, 4];
        }

        var points = angles.Select(a =>
        {
            double r = radius * (0.2 + (0.8 * random.NextDouble()));
            return new Coordinate(cx + (r * Math.Cos(a)), cy + (r * Math.Sin(a)));
        }).ToList();
        points.Add(points[0].Copy());
        return Factory.CreatePolygon([.. points]);
    }

    private static Polygon RandomWalk(Random random, int n)
    {
        // Integer coordinates make touching and collinear cases frequent.
        var points = Enumerable.Range(0, n).Select(_ => new Coordinate(random.Next(0, 6), random.Next(0, 6))).ToList();
        points.Add(points[0].Copy());
        return Factory.CreatePolygon([.. points]);
    }
}
