using System.Globalization;
using System.Text.Json;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>
/// Golden test on the Sierra Leone sample: the zones of the run checked against a plain flood fill of the
/// uncovered_population.tif it wrote, and pinned (zone count, top zone and its people).
/// </summary>
public sealed class SampleBlankZoneTests : IClassFixture<SampleBlankZoneTests.RunFixture>
{
    private readonly RunFixture _run;

    public SampleBlankZoneTests(RunFixture run) => _run = run;

    /// <summary>The sample run in bands of 64 rows (not the default 256), and the flood fill of its raster.</summary>
    public sealed class RunFixture : IDisposable
    {
        private readonly TempFolder _out = TestPaths.NewTempFolder();

        public RunFixture()
        {
            CountryConfig config = CountryConfigLoader.Load(TestPaths.Sample("sle", "country.yaml"));
            Folder = CountryRun.Execute(config, new RunOptions(_out.Path, bandHeight: 64)).OutputFolder;
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "summary.json")));
            Summary = doc.RootElement.Clone();
            using RasterSource raster = RasterSource.Open(Path.Combine(Folder, "uncovered_population.tif"));
            var values = new float[raster.Width * raster.Height];
            raster.ReadRows(0, raster.Height, values);
            Components = ZoneGrids.FloodFill([.. values.Select(v => v > 0 ? (double)v : 0)], raster.Width, raster.Height, 8);
        }

        public string Folder { get; }

        public JsonElement Summary { get; }

        /// <summary>8-connected components of cells with uncovered people, by first cell.</summary>
        public List<(int Row, int Column, int Cells, double People)> Components { get; }

        public void Dispose() => _out.Dispose();
    }

    [Fact]
    public void Outlines_simplified_on_blocks_keep_every_zone_its_attributes_and_cells_with_fewer_points()
    {
        CountryConfig config = CountryConfigLoader.Load(TestPaths.Sample("sle", "country.yaml"));
        using TempFolder output = TestPaths.NewTempFolder();
        config = config with { BlankZones = config.BlankZones with { Simplify = 4 } };
        string folder = CountryRun.Execute(config, new RunOptions(output.Path, writeRasters: false)).OutputFolder;

        // Same zones, same attributes: only the outlines change, and the summary says how.
        Assert.Equal(File.ReadAllText(Path.Combine(_run.Folder, "blank_zones.csv")), File.ReadAllText(Path.Combine(folder, "blank_zones.csv")));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.Equal(4, summary.RootElement.GetProperty("blank_zones").GetProperty("simplify").GetInt32());
        Assert.Equal(1, _run.Summary.GetProperty("blank_zones").GetProperty("simplify").GetInt32());
        VectorLayerData cells = VectorSource.ReadLayer(Path.Combine(_run.Folder, "blank_zones.geojson"), null, ["zone_id"], null);
        VectorLayerData blocks = VectorSource.ReadLayer(Path.Combine(folder, "blank_zones.geojson"), null, ["zone_id"], null);
        Assert.Equal(cells.Features.Select(f => f.Attributes["zone_id"]), blocks.Features.Select(f => f.Attributes["zone_id"]));
        for (int i = 0; i < cells.Features.Count; i++)
        {
            NetTopologySuite.Geometries.Geometry outline = blocks.Features[i].Geometry;
            Assert.True(outline.IsValid, $"zone {i}");
            // Every cell of the zone stays inside its outline (up to the 1e-7° rounding of the coordinates).
            Assert.True(cells.Features[i].Geometry.Difference(outline).Area < 1e-10, $"zone {i}");
        }

        int exactPoints = cells.Features.Sum(f => f.Geometry.NumPoints), blockPoints = blocks.Features.Sum(f => f.Geometry.NumPoints);
        Assert.True(blockPoints * 2 < exactPoints, $"{blockPoints} points on blocks of 4, {exactPoints} on cells");
    }

    [Fact]
    public void Zone_counts_match_a_flood_fill_of_the_uncovered_raster()
    {
        JsonElement zones = _run.Summary.GetProperty("blank_zones");
        int listed = zones.GetProperty("zones").GetInt32();
        int scattered = zones.GetProperty("scattered").GetProperty("zones").GetInt32();

        Assert.Equal(_run.Components.Count, listed + scattered);
        Assert.Equal(_run.Components.Count(c => c.People >= 100), listed);
        Assert.Equal(644, listed);
        Assert.Equal(3255, listed + scattered);
    }

    [Fact]
    public void The_top_zone_is_pinned_and_matches_the_flood_fill()
    {
        string[] top = File.ReadLines(Path.Combine(_run.Folder, "blank_zones.csv")).Skip(1).First().Split(',');
        Assert.Equal("1", top[0]);
        Assert.Equal("Z2509_1331", top[1]);
        double people = double.Parse(top[2], CultureInfo.InvariantCulture);
        Assert.Equal(2438.745694, people, 1e-6);
        var component = _run.Components.Single(c => c.Row == 2509 && c.Column == 1331);
        Assert.True(Math.Abs(component.People - people) < 1e-5 * people, $"flood fill {component.People} vs zone {people}");
        Assert.Equal("SL030303;SL030311", top[6]);
        Assert.Equal("Serabu", top[9]);
    }

    [Fact]
    public void Every_zone_of_the_csv_is_a_component_of_the_flood_fill_with_its_people()
    {
        var byFirstCell = _run.Components.ToDictionary(c => $"Z{c.Row}_{c.Column}", c => c.People);
        foreach (string line in File.ReadLines(Path.Combine(_run.Folder, "blank_zones.csv")).Skip(1))
        {
            string[] cells = line.Split(',');
            double people = double.Parse(cells[2], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(byFirstCell[cells[1]] - people) < 1e-5 * people, line);
        }
    }

    [Fact]
    public void Zones_and_scattered_people_are_the_national_uncovered_population()
    {
        JsonElement zones = _run.Summary.GetProperty("blank_zones");
        double national = _run.Summary.GetProperty("national").GetProperty("uncovered").GetDouble();
        double sum = zones.GetProperty("people_in_zones").GetDouble() + zones.GetProperty("scattered").GetProperty("people").GetDouble();
        Assert.True(Math.Abs(sum - national) <= 1e-9 * national, $"zones + scattered {sum} vs national {national}");
        Assert.True(Math.Abs(_run.Components.Sum(c => c.People) - national) <= 1e-6 * national);
    }

    [Fact]
    public void Zones_carry_the_hazard_exposure_of_their_people_within_the_national_figure()
    {
        string[] lines = [.. File.ReadLines(Path.Combine(_run.Folder, "blank_zones.csv"))];
        string[] header = lines[0].Split(',');
        int column = Array.IndexOf(header, "people_exposed_coastal_flood");
        Assert.True(column > 0, lines[0]);
        double inZones = 0;
        int exposedZones = 0;
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            double people = double.Parse(cells[2], CultureInfo.InvariantCulture);
            double exposed = double.Parse(cells[column], CultureInfo.InvariantCulture);
            Assert.InRange(exposed, 0, people * (1 + 1e-6));
            inZones += exposed;
            exposedZones += exposed > 0 ? 1 : 0;
        }

        JsonElement hazard = _run.Summary.GetProperty("hazards")[0];
        double national = hazard.GetProperty("people_exposed_uncovered").GetDouble();
        Assert.True(exposedZones > 0, "some zone lies on the coast");
        Assert.True(inZones <= national * (1 + 1e-6), $"zones {inZones} vs national exposed and unreachable {national}");
        Assert.True(inZones >= 0.5 * national, $"zones {inZones} hold most of the exposed unreachable people {national}");
    }
}
