using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Pipeline;
using Ewcm.Engine.Tests.Cli;
using Ewcm.Engine.Tests.Pipeline;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Ewcm.Engine.Tests.Hazards;

/// <summary>
/// Hazards through the real `ewcm run`: a raster on a coarser grid in another CRS (Web Mercator), polygons
/// with an attribute filter, the output columns and summary entries, and thread-count independence.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class HazardRunTests
{
    private const double EarthRadius = 6378137; // the sphere of EPSG:3857

    /// <summary>Mercator cells: 0.37° wide (3.7 population cells), a different grid and CRS than the population's.</summary>
    private const double CellDegrees = 0.37;

    private static readonly double MercatorWest = MercatorX(10.33);
    private static readonly double MercatorNorth = MercatorY(1.63);
    private static readonly double MercatorCell = MercatorX(CellDegrees);

    /// <summary>3 × 3 values: NaN and the declared nodata (-1) never count, whatever the direction.</summary>
    private static readonly float[] Depths = [0.9f, 0.1f, 0.5f, float.NaN, 1.2f, -1f, 0.6f, 0.49f, 0f];

    private static double MercatorX(double lon) => EarthRadius * lon * Math.PI / 180;

    private static double MercatorY(double lat) => EarthRadius * Math.Log(Math.Tan((Math.PI / 4) + (lat * Math.PI / 360)));

    private static double Longitude(double x) => x / EarthRadius * 180 / Math.PI;

    private static double Latitude(double y) => ((2 * Math.Atan(Math.Exp(y / EarthRadius))) - (Math.PI / 2)) * 180 / Math.PI;

    /// <summary>
    /// The lon/lat area of the Mercator cells passing the test: a Mercator cell's edges lie on meridians
    /// and parallels, so each is exactly a lon/lat rectangle.
    /// </summary>
    private static Geometry HazardArea(Func<float, bool> passes)
    {
        var cells = new List<Geometry>();
        for (int i = 0; i < Depths.Length; i++)
        {
            float v = Depths[i];
            if (float.IsNaN(v) || v == -1 || !passes(v))
            {
                continue;
            }

            int c = i % 3, r = i / 3;
            double x0 = MercatorWest + (c * MercatorCell), y0 = MercatorNorth - (r * MercatorCell);
            cells.Add(FixtureFiles.Box(Longitude(x0), Latitude(y0 - MercatorCell), Longitude(x0 + MercatorCell), Latitude(y0)));
        }

        return UnaryUnionOp.Union(cells);
    }

    /// <summary>The default sandbox's coverage: OpA's and OpB's boxes.</summary>
    private static Geometry DefaultCoverage() =>
        FixtureFiles.Box(10.25, 0.45, 11.55, 1.55).Union(FixtureFiles.Box(11.2, 1.2, 11.9, 1.9));

    private static void WriteFloodRaster(RunSandbox box, string crs = "EPSG:3857") =>
        FixtureFiles.WriteRaster(box.Input("flood.tif"), new RasterGrid(MercatorWest, MercatorNorth, MercatorCell, 3, 3), Depths,
            noData: -1, crsWkt: crs.Length == 0 ? "" : CrsInfo.FromUserInput(crs));

    private static void AssertExposure(RunOutputs run, string name, Geometry hazard, double relative)
    {
        float[] pop = RunSandbox.DefaultPopulation;
        Geometry outside = hazard.Difference(DefaultCoverage());
        foreach ((string id, Polygon unit) in new[] { ("TS01", RunSandbox.West), ("TS02", RunSandbox.East) })
        {
            double exposed = FixtureFiles.PeopleIn(RunSandbox.Grid, pop, hazard.Intersection(unit));
            double unreachable = FixtureFiles.PeopleIn(RunSandbox.Grid, pop, outside.Intersection(unit));
            Assert.True(exposed > 1000, $"{id}: the test needs people exposed ({name}: {exposed}, {hazard})");
            RunOutputs.AssertClose(exposed, run.Unit(id, $"pop_exposed_{name}"), relative);
            RunOutputs.AssertClose(unreachable, run.Unit(id, $"pop_exposed_uncovered_{name}"), relative);
            Assert.True(run.Unit(id, $"pop_exposed_uncovered_{name}") <= run.Unit(id, "pop_uncovered"));
        }

        System.Text.Json.JsonElement entry = run.Summary.GetProperty("hazards").EnumerateArray().Single(h => h.GetProperty("name").GetString() == name);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, pop, hazard), entry.GetProperty("people_exposed").GetDouble(), relative);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, pop, outside), entry.GetProperty("people_exposed_uncovered").GetDouble(), relative);
    }

    [Fact]
    public void A_raster_in_another_crs_and_grid_counts_the_exact_area_of_its_cells()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        WriteFloodRaster(box);
        box.Hazards.Add("{ name: flood, label: River flood, raster: { path: flood.tif, threshold: 0.5 } }");
        box.Hazards.Add("{ name: dry, raster: { path: flood.tif, band: 1, threshold: 0.15, direction: below } }");
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        // Relative 1e-7: PROJ's Mercator and the formula above agree to ~1e-9 degrees.
        AssertExposure(run, "flood", HazardArea(v => v >= 0.5), 1e-7);
        AssertExposure(run, "dry", HazardArea(v => v <= 0.15), 1e-7);
        System.Text.Json.JsonElement flood = run.Summary.GetProperty("hazards")[0];
        Assert.Equal("River flood", flood.GetProperty("label").GetString());
        Assert.Equal("flood.tif, band 1, value >= 0.5", flood.GetProperty("source").GetString());
        Assert.Equal("dry", run.Summary.GetProperty("hazards")[1].GetProperty("label").GetString());
        run.AssertConserved();
    }

    [Fact]
    public void Polygons_filtered_by_an_attribute_count_their_union_once()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        Polygon a = FixtureFiles.Box(10.12, 0.33, 11.37, 0.91), b = FixtureFiles.Box(11.05, 0.7, 11.83, 1.77), c = FixtureFiles.Box(10.4, 1.1, 11.7, 1.9);
        FixtureFiles.WriteLayer(box.Input("hazard.gpkg"), "zones", [new FieldSpec("kind", FieldKind.String)],
            [(a, ["flood"]), (b, ["flood"]), (c, ["cyclone"])]);
        box.Hazards.Add("{ name: flood, polygons: { path: hazard.gpkg, layer: zones, where: \"kind = 'flood'\" } }");
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        AssertExposure(run, "flood", a.Union(b), 1e-9);
        Assert.Equal("hazard.gpkg, layer 'zones', where kind = 'flood'", run.Summary.GetProperty("hazards")[0].GetProperty("source").GetString());
    }

    [Fact]
    public void One_and_two_threads_and_any_band_height_write_byte_identical_hazard_figures()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        WriteFloodRaster(box);
        box.Hazards.Add("{ name: flood, raster: { path: flood.tif, threshold: 0.5 } }");
        box.Hazards.Add("{ name: dry, raster: { path: flood.tif, threshold: 0.15, direction: below } }");
        box.WriteConfig();
        CountryConfig config = CountryConfigLoader.Load(box.ConfigPath);
        string root = Path.Combine(box.InputFolder, "..");
        var runs = new[] { (Threads: 1, Bands: 3), (Threads: 2, Bands: 3), (Threads: 2, Bands: 7), (Threads: 1, Bands: 256) };
        var folders = runs.Select(r => CountryRun.Execute(config, new RunOptions(Path.Combine(root, $"t{r.Threads}-b{r.Bands}"), r.Threads, r.Bands, writeRasters: false)).OutputFolder).ToList();

        foreach (string file in new[] { "summary.json", "admin_stats.csv" })
        {
            byte[] reference = File.ReadAllBytes(Path.Combine(folders[0], file));
            Assert.All(folders.Skip(1), f => Assert.Equal(reference, File.ReadAllBytes(Path.Combine(f, file))));
        }
    }

    [Fact]
    public void Without_hazards_the_outputs_have_no_hazard_columns_or_entries()
    {
        using RunSandbox box = RunSandbox.WithDefaults();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        Assert.DoesNotContain(run.Units["TS01"].Keys, k => k.Contains("exposed", StringComparison.Ordinal));
        Assert.False(run.Summary.TryGetProperty("hazards", out _));
        Assert.Equal("pop_4g_OpB", File.ReadAllLines(Path.Combine(run.Folder, "admin_stats.csv"))[0].Split(',')[^1]);
    }
}
