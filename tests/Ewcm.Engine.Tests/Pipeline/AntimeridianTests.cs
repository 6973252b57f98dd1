using Ewcm.Engine.Inputs;
using Ewcm.Engine.Tests.Cli;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// Fiji across the antimeridian: a population grid at 176.8°E–181°E (longitudes beyond 180), the real
/// outline split at ±180°, and coverage given in −180..180 as two parts. The part east of 180° must be
/// covered and no one lost.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class AntimeridianTests
{
    /// <summary>0.01° cells over 176.8°E–181°E, 15.6°S–19.3°S.</summary>
    private static readonly RasterGrid Grid = new(176.8, -15.6, 0.01, 420, 370);

    private static readonly string Outline = TestPaths.Data("fiji", "FJI.geojson");

    /// <summary>The coverage box, 179.5°E to 179.5°W (180.5° on the grid), 16°S to 17.1°S: Taveuni and east Vanua Levu.</summary>
    private static readonly Polygon CoverageBox = FixtureFiles.Box(179.5, -17.1, 180.5, -16.0);

    /// <summary>1 to 6 people per cell, varying by row and column so that a shifted grid would not add up.</summary>
    private static readonly float[] Population =
        [.. Enumerable.Range(0, Grid.Cells).Select(i => 1f + (i % Grid.Columns % 5) + (0.5f * (i / Grid.Columns % 3)))];

    [Fact]
    public void Coverage_given_in_two_parts_at_the_antimeridian_covers_the_part_east_of_180()
    {
        using RunSandbox box = RunSandbox.Empty();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), Grid, Population, noData: -99999);
        Geometry twoParts = FixtureFiles.Factory.CreateMultiPolygon(
            [FixtureFiles.Box(179.5, -17.1, 180, -16.0), FixtureFiles.Box(-180, -17.1, -179.5, -16.0)]);
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields, [(twoParts, ["Vodafone"])]);
        box.Admin = $"{{ path: '{Outline}', id_field: A3, name_field: A3 }}";
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess();

        // The outline as in the file, its west longitudes moved past 180° (the grid's side).
        List<Polygon> fiji = FixtureFiles.ReadGeoJsonPolygons(Outline, OnGrid);
        double covered = fiji.Sum(p => FixtureFiles.PeopleIn(Grid, Population, p.Intersection(CoverageBox)));
        double coveredEast = fiji.Sum(p => FixtureFiles.PeopleIn(Grid, Population, p.Intersection(FixtureFiles.Box(180, -17.1, 180.5, -16.0))));
        Assert.True(coveredEast > 0.2 * covered, $"the test needs land east of 180°: {coveredEast} of {covered}");
        RunOutputs.AssertClose(covered, run.Unit("FJI", "pop_3g"), 1e-9);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(Grid, Population, CoverageBox), run.NationalCovered("3G"), 1e-9);
        RunOutputs.AssertClose(FixtureFiles.Sum(Population), run.Total, 1e-9);
        run.AssertConserved();

        // The coverage raster agrees: a cell east of 180° is as covered as one west of it, one past the box is not.
        float west = CoveredValue(run, 179.75, -16.55);
        Assert.True(west > 0, "a cell inside the coverage box is covered");
        Assert.Equal(west, CoveredValue(run, 180.25, -16.55));
        Assert.Equal(0f, CoveredValue(run, 180.75, -16.55));

        // Only the outline's own invalid ring was repaired: the two coverage parts just join at 180°.
        Assert.Contains(run.Warnings, w => w.Contains("FJI.geojson", StringComparison.Ordinal) && w.Contains("repaired", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Warnings, w => w.Contains("coverage.gpkg", StringComparison.Ordinal));
    }

    private static double OnGrid(double longitude) => longitude < 0 ? longitude + 360 : longitude;

    /// <summary>The stored value of coverage_3g.tif (the covered share of the cell, in the raster's own encoding) at a grid longitude and latitude.</summary>
    private static float CoveredValue(RunOutputs run, double longitude, double latitude)
    {
        using RasterSource raster = RasterSource.Open(Path.Combine(run.Folder, "coverage_3g.tif"));
        var value = new float[1];
        raster.ReadWindow((int)((longitude - Grid.West) / Grid.CellSize), (int)((Grid.North - latitude) / Grid.CellSize), 1, 1, value);
        return value[0];
    }
}
