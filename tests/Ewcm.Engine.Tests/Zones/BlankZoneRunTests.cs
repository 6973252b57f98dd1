using System.Globalization;
using System.Text.Json;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Tests.Cli;
using Ewcm.Engine.Tests.Pipeline;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>Blank zones through the real `ewcm run`: files, conservation, determinism, the antimeridian, bad settings.</summary>
[Collection(ConsoleCapture.Name)]
public class BlankZoneRunTests
{
    private const string Header = "rank,zone_id,people,area_km2,centroid_lon,centroid_lat,admin_ids,admin_names,distance_to_2g_km,nearest_place,nearest_place_km,priority";

    [Fact]
    public void Zones_and_scattered_people_add_up_to_the_national_uncovered_figure()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        File.WriteAllText(box.Input("places.csv"), "name,lon,lat\nNorthgate,10.5,1.9\nSouthport,11.5,0.1\n");
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "places: { path: places.csv, name_field: name }\nblank_zones: { min_people: 5000 }\n");

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        JsonElement zones = run.Summary.GetProperty("blank_zones");
        double national = run.Summary.GetProperty("national").GetProperty("uncovered").GetDouble();
        double listed = zones.GetProperty("people_in_zones").GetDouble();
        double scattered = zones.GetProperty("scattered").GetProperty("people").GetDouble();
        Assert.True(national > 0);
        RunOutputs.AssertClose(national, listed + scattered, 1e-9);
        Assert.Equal(8, zones.GetProperty("connectivity").GetInt32());
        Assert.Equal(5000, zones.GetProperty("min_people").GetDouble());

        string[] csv = File.ReadAllLines(Path.Combine(run.Folder, "blank_zones.csv"));
        Assert.Equal(Header, csv[0]);
        Assert.Equal(zones.GetProperty("zones").GetInt32(), csv.Length - 1);
        Assert.True(csv.Length > 1);
        double csvPeople = csv.Skip(1).Sum(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture));
        Assert.Equal(listed, csvPeople, 1e-4);
        Assert.All(csv.Skip(1), l => Assert.Contains(l.Split(',')[9], new[] { "Northgate", "Southport" }));

        // The GeoJSON and the GeoPackage open in GDAL, with valid polygons and the same zones.
        VectorLayerData geojson = VectorSource.ReadLayer(Path.Combine(run.Folder, "blank_zones.geojson"), null, ["zone_id", "people"], null);
        Assert.Equal(csv.Skip(1).Select(l => l.Split(',')[1]), geojson.Features.Select(f => f.Attributes["zone_id"]));
        Assert.All(geojson.Features, f => Assert.True(f.Geometry.IsValid));
        string gpkg = Path.Combine(run.Folder, "blank_zones.gpkg");
        Assert.Equal(["blank_zones", "admin_units"], VectorSource.ListLayers(gpkg));
        VectorLayerData units = VectorSource.ReadLayer(gpkg, "admin_units", ["admin_id", "pop_uncovered", "blank_zones"], null);
        Assert.Equal(["TS01", "TS02"], units.Features.Select(f => f.Attributes["admin_id"]));
        Assert.Equal(run.Unit("TS01", "pop_uncovered"), double.Parse(units.Features[0].Attributes["pop_uncovered"]!, CultureInfo.InvariantCulture), 1e-6);
        Assert.Equal(zones.GetProperty("top").GetArrayLength(), Math.Min(10, csv.Length - 1));
        Assert.Equal(csv[1].Split(',')[1], zones.GetProperty("top")[0].GetProperty("zone_id").GetString());
    }

    [Fact]
    public void One_and_two_threads_write_identical_zone_files()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "blank_zones: { min_people: 1000, connectivity: 4 }\n");

        RunOutputs one = box.ExpectSuccess("--threads", "1", "--no-rasters");
        RunOutputs two = box.ExpectSuccess("--threads", "2", "--no-rasters");

        foreach (string file in new[] { "blank_zones.csv", "blank_zones.geojson", "blank_zones.gpkg", "summary.json" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(one.Folder, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two.Folder, file))), file);
        }

        Assert.Equal(4, one.Summary.GetProperty("blank_zones").GetProperty("connectivity").GetInt32());
    }

    [Fact]
    public void Band_heights_of_1_7_and_256_rows_write_identical_zone_files()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "blank_zones: { min_people: 1000 }\n");
        CountryConfig config = CountryConfigLoader.Load(box.ConfigPath);
        using TempFolder out1 = TestPaths.NewTempFolder(), out7 = TestPaths.NewTempFolder(), out256 = TestPaths.NewTempFolder();

        string[] folders = [.. new[] { (out1, 1), (out7, 7), (out256, 256) }.Select(o =>
            Engine.Pipeline.CountryRun.Execute(config, new Engine.Pipeline.RunOptions(o.Item1.Path, threads: 2, bandHeight: o.Item2, writeRasters: false)).OutputFolder)];

        Assert.True(File.ReadAllLines(Path.Combine(folders[0], "blank_zones.csv")).Length > 1);
        foreach (string file in new[] { "blank_zones.csv", "blank_zones.geojson", "summary.json" })
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(folders[2], file));
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folders[0], file))), file);
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folders[1], file))), file);
        }
    }

    [Fact]
    public void A_fully_covered_country_has_no_zones_but_still_writes_the_files()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields,
            [(FixtureFiles.Box(9, -1, 13, 3), ["OpA"])]);

        RunOutputs run = box.ExpectSuccess();

        Assert.Equal([Header], File.ReadAllLines(Path.Combine(run.Folder, "blank_zones.csv")));
        using JsonDocument geojson = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Folder, "blank_zones.geojson")));
        Assert.Equal("FeatureCollection", geojson.RootElement.GetProperty("type").GetString());
        Assert.Equal(0, geojson.RootElement.GetProperty("features").GetArrayLength());
        JsonElement zones = run.Summary.GetProperty("blank_zones");
        Assert.Equal(0, zones.GetProperty("zones").GetInt32());
        Assert.Equal(0, zones.GetProperty("scattered").GetProperty("zones").GetInt32());
        Assert.Equal(0, zones.GetProperty("top").GetArrayLength());
        Assert.Empty(VectorSource.ReadLayer(Path.Combine(run.Folder, "blank_zones.gpkg"), "blank_zones", [], null).Features);
    }

    [Fact]
    public void Blank_zones_can_be_switched_off()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "blank_zones: { enabled: false }\n");

        RunOutputs run = box.ExpectSuccess();

        Assert.False(File.Exists(Path.Combine(run.Folder, "blank_zones.csv")));
        Assert.False(run.Summary.TryGetProperty("blank_zones", out _));
    }

    [Fact]
    public void A_zone_across_the_antimeridian_is_split_at_180_in_the_geojson()
    {
        // 0.05° cells over 176.8°E–181°E; 3G covers 179.5°E–180.5°E (179.5°W), 16.0°S–17.1°S: everything
        // else is one zone around it, crossing 180°.
        var grid = new RasterGrid(176.8, -15.6, 0.05, 84, 74);
        float[] population = [.. Enumerable.Range(0, grid.Cells).Select(i => 100f + (i % 7))];
        using RunSandbox box = RunSandbox.Empty();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), grid, population, noData: -99999);
        Geometry coverage = FixtureFiles.Factory.CreateMultiPolygon(
            [FixtureFiles.Box(179.5, -17.1, 180, -16.0), FixtureFiles.Box(-180, -17.1, -179.5, -16.0)]);
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields, [(coverage, ["Vodafone"])]);
        box.Admin = $"{{ path: '{TestPaths.Data("fiji", "FJI.geojson")}', id_field: A3, name_field: A3 }}";
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Folder, "blank_zones.geojson")));
        JsonElement feature = Assert.Single(doc.RootElement.GetProperty("features").EnumerateArray());
        JsonElement geometry = feature.GetProperty("geometry");
        Assert.Equal("MultiPolygon", geometry.GetProperty("type").GetString());
        var parts = geometry.GetProperty("coordinates").EnumerateArray().Select(ToPolygon).ToList();
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.True(p.IsValid && NetTopologySuite.Algorithm.Orientation.IsCCW(p.ExteriorRing.Coordinates)));
        Assert.All(parts.SelectMany(p => p.Coordinates), c => Assert.InRange(c.X, -180, 180));
        Polygon west = parts.Single(p => p.EnvelopeInternal.MinX > 0), east = parts.Single(p => p.EnvelopeInternal.MaxX < 0);
        Assert.Equal(new Envelope(176.8, 180, -19.3, -15.6), west.EnvelopeInternal);
        Assert.Equal(new Envelope(-180, -179, -19.3, -15.6), east.EnvelopeInternal);
        // The whole grid less the covered box, in square degrees.
        Assert.Equal((4.2 * 3.7) - (1.0 * 1.1), parts.Sum(p => p.Area), 1e-9);
        Assert.Equal("FJI", feature.GetProperty("properties").GetProperty("admin_ids").GetString());
        Assert.InRange(feature.GetProperty("properties").GetProperty("centroid_lon").GetDouble(), -180, 180);
    }

    [Fact]
    public void A_projected_population_grid_skips_the_zones_with_a_warning()
    {
        // 1 km cells in UTM zone 28N (Sierra Leone), admin and coverage in the same CRS.
        string utm = CrsInfo.FromUserInput("EPSG:32628");
        var grid = new RasterGrid(700_000, 1_000_000, 1000, 20, 20);
        using RunSandbox box = RunSandbox.Empty();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), grid, [.. Enumerable.Repeat(50f, grid.Cells)], crsWkt: utm);
        box.WriteAdmin(("TS01", FixtureFiles.Box(700_000, 980_000, 720_000, 1_000_000)));
        FixtureFiles.WriteLayer(box.Input("admin.gpkg"), "districts", FixtureFiles.AdminFields,
            [(FixtureFiles.Box(700_000, 980_000, 720_000, 1_000_000), ["TS01", "District TS01"])], utm);
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields,
            [(FixtureFiles.Box(705_000, 985_000, 710_000, 990_000), ["OpA"])], utm);
        box.WriteConfig();

        RunOutputs run = box.ExpectSuccess("--no-rasters");

        Assert.Contains(run.Warnings, w => w.Contains("blank zones were not computed", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(run.Folder, "blank_zones.csv")));
        Assert.False(run.Summary.TryGetProperty("blank_zones", out _));
    }

    private static Polygon ToPolygon(JsonElement polygon)
    {
        LinearRing[] rings = [.. polygon.EnumerateArray().Select(ring => FixtureFiles.Factory.CreateLinearRing(
            [.. ring.EnumerateArray().Select(p => new Coordinate(p[0].GetDouble(), p[1].GetDouble()))]))];
        return FixtureFiles.Factory.CreatePolygon(rings[0], rings[1..]);
    }

    private static RunSandbox Broken(string yaml)
    {
        RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + yaml);
        return box;
    }

    [Fact]
    public void A_negative_minimum_of_people_is_refused()
    {
        using RunSandbox box = Broken("blank_zones: { min_people: -1 }\n");
        box.ExpectRefused($"{box.ConfigPath}, line 7: blank_zones.min_people must be 0 or more, not -1 (key 'min_people').");
    }

    [Fact]
    public void A_connectivity_other_than_4_or_8_is_refused()
    {
        using RunSandbox box = Broken("blank_zones: { connectivity: 5 }\n");
        box.ExpectRefused($"{box.ConfigPath}, line 7: blank_zones.connectivity must be 8 (cells touching at a corner join) or 4 (only cells sharing an edge), not 5 (key 'connectivity').");
    }

    [Fact]
    public void Blank_zones_that_are_not_a_mapping_are_refused()
    {
        using RunSandbox box = Broken("blank_zones: 5\n");
        box.ExpectRefused($"{box.ConfigPath}, line 7: blank_zones must be a mapping such as {{ connectivity: 8, min_people: 100 }}");
    }

    [Fact]
    public void An_enabled_flag_that_is_not_true_or_false_is_refused()
    {
        using RunSandbox box = Broken("blank_zones: { enabled: maybe }\n");
        box.ExpectRefused($"{box.ConfigPath}, line 7: blank_zones.enabled must be true or false, not 'maybe'");
    }

    [Fact]
    public void Places_that_are_not_a_mapping_are_refused()
    {
        using RunSandbox box = Broken("places: towns.csv\n");
        box.ExpectRefused($"{box.ConfigPath}, line 7: places must be a mapping such as {{ path: places.csv, name_field: name }}");
    }

    [Fact]
    public void An_unknown_blank_zones_key_is_refused_with_the_allowed_keys()
    {
        using RunSandbox box = Broken("blank_zones: { min_poeple: 10 }\n");
        box.ExpectRefused("unknown key 'min_poeple' in blank_zones; allowed keys are enabled, connectivity, min_people, min_cell_people, min_cell_density, simplify.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2.5")]
    [InlineData("2000")]
    public void A_simplify_that_is_not_a_whole_number_of_cells_from_1_to_1024_is_refused(string value)
    {
        using RunSandbox box = Broken($"blank_zones: {{ simplify: {value} }}\n");
        box.ExpectRefused($"{box.ConfigPath}, line 7: blank_zones.simplify must be a whole number of cells from 1 (outlines on the cells' own edges) "
            + $"to 1024 (outlines on blocks of that many × that many cells), not {value} (key 'simplify').");
    }

    [Fact]
    public void A_missing_places_file_is_refused()
    {
        using RunSandbox box = Broken("places: { path: towns.csv, name_field: name }\n");
        box.ExpectRefused(box.Input("towns.csv"), "the vector file does not exist");
    }

    [Fact]
    public void A_missing_places_name_field_is_refused_with_the_fields_there_are()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        File.WriteAllText(box.Input("places.csv"), "town,lon,lat\nNorthgate,10.5,1.9\n");
        box.KeepPreviousResult();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "places: { path: places.csv, name_field: name }\n");
        box.ExpectRefused(box.Input("places.csv"), "there is no field 'name'", "town");
    }

    [Fact]
    public void Places_without_any_name_are_refused()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        File.WriteAllText(box.Input("places.csv"), "name,lon,lat\n,10.5,1.9\n");
        box.KeepPreviousResult();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + "places: { path: places.csv, name_field: name }\n");
        box.ExpectRefused(box.Input("places.csv"), "no feature has a name in the field 'name'");
    }
}
