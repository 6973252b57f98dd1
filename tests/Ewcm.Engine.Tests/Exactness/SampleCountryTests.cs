using System.Globalization;
using System.Text.Json;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Tests.Exactness;

/// <summary>The bundled Sierra Leone sample, end to end with every output.</summary>
public sealed class SampleCountryTests : IClassFixture<SampleCountryTests.RunFixture>
{
    /// <summary>Sum of the valid cells of WorldPop 2019 constrained for Sierra Leone (data/samples/sle/README.md).</summary>
    private const double WorldPopTotal = 6_737_136.03;

    private readonly RunFixture _run;

    public SampleCountryTests(RunFixture run) => _run = run;

    public sealed class RunFixture : IDisposable
    {
        private readonly TempFolder _out = TestPaths.NewTempFolder();

        public RunFixture()
        {
            CountryConfig config = CountryConfigLoader.Load(TestPaths.Sample("sle", "country.yaml"));
            Started = DateTime.UtcNow;
            Result = CountryRun.Execute(config, new RunOptions(_out.Path));
            Finished = DateTime.UtcNow;
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Result.OutputFolder, "summary.json")));
            Summary = doc.RootElement.Clone();
        }

        public RunResult Result { get; }

        public JsonElement Summary { get; }

        public DateTime Started { get; }

        public DateTime Finished { get; }

        public string OutputRoot => _out.Path;

        public void Dispose() => _out.Dispose();
    }

    [Fact]
    public void Writes_every_output_into_the_country_folder_and_nothing_else()
    {
        string[] expected =
        [
            "admin_stats_chiefdom.csv", "admin_stats_district.csv", "admin_stats_province.csv",
            "admin_units_chiefdom.geojson", "admin_units_district.geojson", "admin_units_province.geojson",
            "blank_zones.csv", "blank_zones.geojson", "blank_zones.gpkg", "coverage_2g.tif", "coverage_3g.tif", "coverage_4g.tif", "run_log.json", "summary.json", "uncovered_population.tif",
        ];
        Assert.Equal(expected, Directory.GetFiles(_run.Result.OutputFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([Path.Combine(_run.OutputRoot, "SLE")], Directory.GetFileSystemEntries(_run.OutputRoot));
    }

    [Fact]
    public void Run_log_gives_the_start_time_and_every_stage()
    {
        using var log = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run.Result.OutputFolder, "run_log.json")));
        JsonElement root = log.RootElement;
        DateTime started = DateTime.Parse(root.GetProperty("started_utc").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.InRange(started, _run.Started, _run.Finished);
        Assert.Equal(DateTimeKind.Utc, started.Kind);
        string[] stages = [.. root.GetProperty("stage_seconds").EnumerateObject().Select(p => p.Name)];
        Assert.Equal(["inputs", "overlay", "zones", "zones_merge", "zones_describe", "zones_files", "outputs"], stages);
        Assert.All(root.GetProperty("stage_seconds").EnumerateObject(), p => Assert.True(p.Value.GetDouble() >= 0));
        // The stages come after the start (the sum of the timed stages, less rounding, fits in between).
        double timed = root.GetProperty("stage_seconds").EnumerateObject().Where(p => !p.Name.StartsWith("zones_", StringComparison.Ordinal)).Sum(p => p.Value.GetDouble());
        Assert.True(started.AddSeconds(timed - 0.01) <= _run.Finished, $"started {started:O}, {timed} s of stages, finished {_run.Finished:O}");
        Assert.Equal(_run.Result.Totals.ValidCells, root.GetProperty("cells").GetInt64());
        Assert.Equal(new RunOptions("x").Threads, root.GetProperty("threads").GetInt32());
    }

    [Theory]
    [InlineData("province", "admin1Pcod")]
    [InlineData("chiefdom", "admin3Pcod")]
    public void Admin_units_GeoJSON_holds_every_unit_of_its_table_where_the_input_has_it(string level, string idField)
    {
        string folder = _run.Result.OutputFolder;
        string[] tableIds = [.. File.ReadAllLines(Path.Combine(folder, $"admin_stats_{level}.csv")).Skip(1).Select(l => l.Split(',')[0])];
        VectorLayerData written = VectorSource.ReadLayer(Path.Combine(folder, $"admin_units_{level}.geojson"), null, ["admin_id", "name"], null);
        Assert.Equal(tableIds, written.Features.Select(f => f.Attributes["admin_id"]));

        // Back from grid space to lon/lat: each unit covers the same ground as in the input (GeoJSON keeps 7 decimals).
        VectorLayerData input = VectorSource.ReadLayer(TestPaths.Sample("sle", "admin.gpkg"), level, [idField], null);
        var inputById = input.Features.ToDictionary(f => f.Attributes[idField]!, f => f.Geometry);
        foreach (VectorFeature f in written.Features)
        {
            NetTopologySuite.Geometries.Geometry original = inputById[f.Attributes["admin_id"]!];
            Assert.Equal(original.Area, f.Geometry.Area, original.Area * 1e-5);
            Assert.True(original.EnvelopeInternal.Centre.Distance(f.Geometry.EnvelopeInternal.Centre) < 1e-6);
        }
    }

    [Fact]
    public void National_total_is_WorldPops_and_every_level_accounts_for_everyone()
    {
        double total = _run.Summary.GetProperty("population").GetProperty("total").GetDouble();
        Assert.Equal(WorldPopTotal, total, 0.01);
        foreach (JsonElement level in _run.Summary.GetProperty("admin_levels").EnumerateArray())
        {
            double inUnits = level.GetProperty("population_in_units").GetDouble();
            double outside = level.GetProperty("population_outside_units").GetDouble();
            Assert.True(Math.Abs(inUnits + outside - total) <= 1e-9 * total, level.GetProperty("level").GetString());
            var stats = ReferenceCsv.Load(Path.Combine(_run.Result.OutputFolder, level.GetProperty("file").GetString()!));
            Assert.Equal(inUnits, stats.Rows.Values.Sum(r => r["pop_total"]), 0.01);
            Assert.Equal(level.GetProperty("units").GetInt32(), stats.Rows.Count);
        }
    }

    [Fact]
    public void Districts_add_up_to_their_provinces()
    {
        var provinces = ReferenceCsv.Load(Path.Combine(_run.Result.OutputFolder, "admin_stats_province.csv"));
        var districts = ReferenceCsv.Load(Path.Combine(_run.Result.OutputFolder, "admin_stats_district.csv"));
        // OCHA P-codes nest: district SL0301 lies in province SL03.
        foreach ((string province, Dictionary<string, double> p) in provinces.Rows)
        {
            var own = districts.Rows.Where(d => d.Key.StartsWith(province, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(own);
            foreach (string column in new[] { "pop_total", "pop_2g", "pop_4g", "pop_uncovered" })
            {
                double sum = own.Sum(d => d.Value[column]);
                // Province and district polygons are digitised separately: allow their border slivers.
                Assert.True(Math.Abs(sum - p[column]) <= 0.005 * Math.Max(p[column], 1000), $"{province} {column}: {sum} vs {p[column]}");
            }
        }
    }

    [Fact]
    public void Uncovered_raster_holds_the_uncovered_people()
    {
        double uncovered = _run.Summary.GetProperty("national").GetProperty("uncovered").GetDouble();
        using RasterSource raster = RasterSource.Open(Path.Combine(_run.Result.OutputFolder, "uncovered_population.tif"));
        var row = new float[raster.Width];
        double sum = 0;
        for (int r = 0; r < raster.Height; r++)
        {
            raster.ReadRows(r, 1, row);
            foreach (float v in row)
            {
                if (v >= 0)
                {
                    sum += v;
                }
            }
        }

        Assert.True(Math.Abs(sum - uncovered) <= 1e-4 * uncovered, $"raster {sum} vs summary {uncovered}");
        Assert.Equal(-99999, raster.NoData);
    }

    [Fact]
    public void The_illustrative_flood_proxy_gives_exposure_columns_that_are_consistent()
    {
        JsonElement hazard = _run.Summary.GetProperty("hazards").EnumerateArray().Single();
        Assert.Equal("coastal_flood", hazard.GetProperty("name").GetString());
        double exposed = hazard.GetProperty("people_exposed").GetDouble();
        double unreachable = hazard.GetProperty("people_exposed_uncovered").GetDouble();
        double uncovered = _run.Summary.GetProperty("national").GetProperty("uncovered").GetDouble();
        Assert.InRange(exposed, 0.05 * WorldPopTotal, 0.6 * WorldPopTotal); // Freetown and the coast, not the interior
        Assert.InRange(unreachable, 1, Math.Min(exposed, uncovered));
        foreach (string level in new[] { "province", "district", "chiefdom" })
        {
            var stats = ReferenceCsv.Load(Path.Combine(_run.Result.OutputFolder, $"admin_stats_{level}.csv"));
            foreach ((string id, Dictionary<string, double> row) in stats.Rows)
            {
                Assert.True(row["pop_exposed_coastal_flood"] <= row["pop_total"] + 1e-6, $"{level} {id}");
                Assert.True(row["pop_exposed_uncovered_coastal_flood"] <= Math.Min(row["pop_exposed_coastal_flood"], row["pop_uncovered"]) + 1e-6, $"{level} {id}");
            }

            // Chiefdoms partition the country up to boundary slivers: their sum is the national figure.
            Assert.True(Math.Abs(stats.Rows.Values.Sum(r => r["pop_exposed_coastal_flood"]) - exposed) <= 0.01 * exposed, level);
        }
    }

    [Fact]
    public void Coverage_levels_nest_nationally_and_match_the_published_order_of_magnitude()
    {
        JsonElement levels = _run.Summary.GetProperty("national").GetProperty("levels");
        double[] pct = levels.EnumerateArray().Select(l => l.GetProperty("pct_covered").GetDouble()).ToArray();
        Assert.True(pct[0] >= pct[1] && pct[1] >= pct[2]);
        Assert.InRange(pct[0], 90, 99); // illustrative coverage tuned near the published ~97 %
    }
}
