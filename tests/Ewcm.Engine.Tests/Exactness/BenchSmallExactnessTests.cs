using System.Text.Json;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Tests.Exactness;

/// <summary>
/// The synthetic "small" country against its independent exact reference (exactextract on
/// pre-intersected polygons): every per-admin figure within 1e-6 relative (floor 100 people).
/// </summary>
public sealed class BenchSmallExactnessTests : IClassFixture<BenchSmallExactnessTests.RunFixture>
{
    private const double Tolerance = 1e-6;
    private const double Floor = 100;

    /// <summary>The raster's sum of valid cells, from the generator's meta.json.</summary>
    private const double RasterSum = 1811982.7339942306;

    private readonly RunFixture _run;

    public BenchSmallExactnessTests(RunFixture run) => _run = run;

    public sealed class RunFixture : IDisposable
    {
        private readonly TempFolder _out = TestPaths.NewTempFolder();

        public RunFixture()
        {
            CountryConfig config = CountryConfigLoader.Load(TestPaths.Data("bench-small", "country.yaml"));
            Result = CountryRun.Execute(config, new RunOptions(_out.Path, threads: 2, writeRasters: false));
            Stats = ReferenceCsv.Load(Path.Combine(Result.OutputFolder, "admin_stats.csv"));
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Result.OutputFolder, "summary.json")));
            Summary = doc.RootElement.Clone();
        }

        public RunResult Result { get; }

        public ReferenceCsv Stats { get; }

        public JsonElement Summary { get; }

        public void Dispose() => _out.Dispose();
    }

    [Theory]
    [InlineData("pop_total")]
    [InlineData("pop_2g")]
    [InlineData("pop_3g")]
    [InlineData("pop_4g")]
    [InlineData("pop_uncovered")]
    [InlineData("sdg9c1_2g")]
    [InlineData("sdg9c1_3g")]
    [InlineData("sdg9c1_4g")]
    public void Every_admin_unit_matches_the_exact_reference(string column)
    {
        ReferenceCsv reference = ReferenceCsv.Load(TestPaths.Data("bench-small", "ref_exact.csv"));
        Assert.Equal(reference.Rows.Keys.Order(), _run.Stats.Rows.Keys.Order());
        foreach ((string id, Dictionary<string, double> r) in reference.Rows)
        {
            double expected = r[column];
            double actual = _run.Stats.Rows[id][column];
            double rel = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), Floor);
            Assert.True(rel <= Tolerance, $"admin {id}, {column}: reference {expected}, Ewcm {actual} (relative error {rel:E2})");
        }
    }

    [Fact]
    public void Country_total_is_the_sum_of_valid_cells_and_nothing_is_lost_at_borders()
    {
        double total = _run.Summary.GetProperty("population").GetProperty("total").GetDouble();
        Assert.True(Math.Abs(total - RasterSum) <= 1e-9 * RasterSum, $"total {total} vs raster sum {RasterSum}");
        double units = _run.Stats.Rows.Values.Sum(r => r["pop_total"]);
        JsonElement level = _run.Summary.GetProperty("admin_levels")[0];
        double outside = level.GetProperty("population_outside_units").GetDouble();
        Assert.True(Math.Abs(units + outside - RasterSum) <= 1e-9 * RasterSum, $"units {units} + outside {outside} vs {RasterSum}");
        Assert.True(Math.Abs(outside) < 1e-3, "the admin units partition the grid");
    }

    [Fact]
    public void Levels_nest_in_every_unit_and_the_union_is_at_least_the_best_operator()
    {
        foreach ((string id, Dictionary<string, double> r) in _run.Stats.Rows)
        {
            Assert.True(r["pop_total"] >= r["pop_2g"] - 1e-6, id);
            Assert.True(r["pop_2g"] >= r["pop_3g"] - 1e-6, id);
            Assert.True(r["pop_3g"] >= r["pop_4g"] - 1e-6, id);
            foreach (string t in new[] { "2g", "3g", "4g" })
            {
                Assert.True(r[$"pop_{t}"] >= r[$"sdg9c1_{t}"] - 1e-6, $"{id} {t}");
            }
        }
    }

    [Fact]
    public void Cells_crossed_by_admin_and_coverage_edges_were_clipped_exactly()
    {
        // The reference agreement above depends on them; make sure the case actually occurs here.
        Assert.True(_run.Result.Totals.ExactCells > 100);
    }
}
