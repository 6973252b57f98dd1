using System.Globalization;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Tests.Cli;
using Ewcm.Engine.Tests.Pipeline;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Ewcm.Engine.Tests.Hazards;

/// <summary>
/// A real hazard across the antimeridian: the corridor of Tropical Cyclone Winston's track over Fiji
/// (IBTrACS, 19-21 February 2016, tests/data/fiji/winston_2016_track.csv), stored split at ±180° as
/// real layers are, over a population grid at 176.8°E–181°E with Fiji's real outline as the admin unit.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class CycloneTrackTests
{
    /// <summary>0.02° cells over 176.8°E–181°E, 15.6°S–19.3°S.</summary>
    private static readonly RasterGrid Grid = new(176.8, -15.6, 0.02, 210, 185);

    /// <summary>Half-width of the corridor, in degrees: an illustrative test corridor, not a wind field.</summary>
    private const double HalfWidth = 0.5;

    private static readonly string Outline = TestPaths.Data("fiji", "FJI.geojson");

    private static readonly Polygon CoverageBox = FixtureFiles.Box(179.5, -17.1, 180.5, -16.0);

    private static readonly float[] Population =
        [.. Enumerable.Range(0, Grid.Cells).Select(i => 4f + (i % Grid.Columns % 7) + (0.25f * (i / Grid.Columns % 4)))];

    private static double OnGrid(double longitude) => longitude < 0 ? longitude + 360 : longitude;

    /// <summary>The track (longitudes on the grid's side of 180°) buffered by <see cref="HalfWidth"/>.</summary>
    private static Geometry Corridor()
    {
        string[] lines = File.ReadAllLines(TestPaths.Data("fiji", "winston_2016_track.csv"));
        string[] head = lines[0].Split(',');
        int lon = Array.IndexOf(head, "usa_lon"), lat = Array.IndexOf(head, "usa_lat");
        Coordinate[] track = [.. lines.Skip(1).Select(l => l.Split(','))
            .Select(c => new Coordinate(OnGrid(double.Parse(c[lon], CultureInfo.InvariantCulture)), double.Parse(c[lat], CultureInfo.InvariantCulture)))];
        return FixtureFiles.Factory.CreateLineString(track).Buffer(HalfWidth, 8);
    }

    [Fact]
    public void A_cyclone_corridor_split_at_the_antimeridian_is_counted_on_both_sides()
    {
        Geometry corridor = Corridor();
        Geometry west = corridor.Intersection(FixtureFiles.Box(170, -25, 180, -10));
        Geometry east = AffineTransformation.TranslationInstance(-360, 0).Transform(corridor.Intersection(FixtureFiles.Box(180, -25, 190, -10)));
        Geometry split = FixtureFiles.Factory.CreateMultiPolygon([.. PolygonExtracter.GetPolygons(west).Concat(PolygonExtracter.GetPolygons(east)).Cast<Polygon>()]);
        Assert.True(split.EnvelopeInternal.MinX < -179 && split.EnvelopeInternal.MaxX > 179, "the stored corridor must lie on both sides of ±180°");

        using RunSandbox box = RunSandbox.Empty();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), Grid, Population, noData: -99999);
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields, [(CoverageBox, ["Vodafone"])]);
        FixtureFiles.WriteLayer(box.Input("cyclones.gpkg"), "tracks", [new FieldSpec("name", FieldKind.String)],
            [(split, ["WINSTON"]), (FixtureFiles.Box(177, -19, 178, -18.5), ["OTHER"])]);
        box.Admin = $"{{ path: '{Outline}', id_field: A3, name_field: A3 }}";
        box.Hazards.Add("{ name: winston, label: TC Winston 2016 corridor, polygons: { path: cyclones.gpkg, layer: tracks, where: \"name = 'WINSTON'\" } }");
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        List<Polygon> fiji = FixtureFiles.ReadGeoJsonPolygons(Outline, OnGrid);
        Geometry unreachable = corridor.Difference(CoverageBox);
        double exposed = fiji.Sum(p => FixtureFiles.PeopleIn(Grid, Population, p.Intersection(corridor)));
        double exposedEast = fiji.Sum(p => FixtureFiles.PeopleIn(Grid, Population, p.Intersection(corridor).Intersection(FixtureFiles.Box(180, -20, 181, -15))));
        Assert.True(exposedEast > 0.05 * exposed, $"the test needs exposed land east of 180°: {exposedEast} of {exposed}");
        RunOutputs.AssertClose(exposed, run.Unit("FJI", "pop_exposed_winston"), 1e-9);
        RunOutputs.AssertClose(fiji.Sum(p => FixtureFiles.PeopleIn(Grid, Population, p.Intersection(unreachable))), run.Unit("FJI", "pop_exposed_uncovered_winston"), 1e-9);
        System.Text.Json.JsonElement national = run.Summary.GetProperty("hazards")[0];
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(Grid, Population, corridor), national.GetProperty("people_exposed").GetDouble(), 1e-9);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(Grid, Population, unreachable), national.GetProperty("people_exposed_uncovered").GetDouble(), 1e-9);
    }
}
