using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using Ewcm.Engine.Zones;

namespace Ewcm.Bench.Zones;

/// <summary>
/// The blank-zone stage on a real country, as `ewcm run --no-rasters` runs it: the model is built once
/// (as <see cref="CountryRun"/> does), then <see cref="OverlayOnly"/> runs the overlay alone and
/// <see cref="OverlayAndZones"/> runs it feeding the zones, then merges, describes and writes the three
/// zone files. The zones' cost is the difference between the two (per cell: the difference of ns/cell).
/// Countries: the bundled sample, plus the country.yaml files of <see cref="BenchCountry.EnvironmentVariable"/>.
/// Threads: every core, as the CLI's default. One invocation per iteration (each takes seconds), one
/// warm-up and three measured iterations whatever job the command line gives.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
[RunOncePerIteration]
[WarmupCount(1)]
[IterationCount(3)]
public class ZoneStageBenchmarks : ICellCounted
{
    private string _folder = "";
    private int _invocation;
    private CountryConfig _config = null!;
    private PopulationGrid _population = null!;
    private OverlayModel _model = null!;
    private RunOptions _options = null!;

    [ParamsSource(nameof(Countries))]
    public BenchCountry Country { get; set; } = null!;

    public long CellsPerInvoke => Country.Cells;

    public static IEnumerable<BenchCountry> Countries() => BenchCountry.All();

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("ewcm-bench-zonestage-").FullName;
        try
        {
            _config = CountryConfigLoader.Load(Country.ConfigPath);
            _options = new RunOptions(_folder, threads: 0, writeRasters: false);
            _population = PopulationGrid.Open(_config.Population);
            _model = ModelBuilder.Build(_config, _population, [], _options.Threads);
            BandResult totals = OverlayOnly();
            string check = Path.Combine(_folder, "check");
            Directory.CreateDirectory(check);
            (BandResult withZones, BlankZoneReport report) = RunWithZones(check);
            Validation.CheckSameSums(totals, withZones); // feeding the zones leaves the overlay's sums alone
            Validation.CheckBlankZoneStage(_model, totals, report, check);
            Directory.Delete(check, recursive: true);
        }
        catch
        {
            Cleanup(); // leave no temporary files, whether or not GlobalCleanup follows a failed setup
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
            _folder = "";
        }
    }

    /// <summary>Each invocation wrote into its own subfolder: remove them, outside the measurement.</summary>
    [IterationCleanup(Target = nameof(OverlayAndZones))]
    public void RemoveZoneFiles()
    {
        foreach (string dir in Directory.EnumerateDirectories(_folder, "run-*"))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The overlay alone: no rasters, no blank zones.</summary>
    [Benchmark(Baseline = true)]
    public BandResult OverlayOnly() => OverlayRunner.Run(_model, _population, _options, rasters: null);

    /// <summary>The overlay feeding the blank zones, then the zones merged, described and written (CSV, GeoJSON, GeoPackage).</summary>
    [Benchmark]
    public BlankZoneReport OverlayAndZones()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_folder, $"run-{_invocation++}")).FullName;
        return RunWithZones(dir).Report;
    }

    private (BandResult Totals, BlankZoneReport Report) RunWithZones(string dir)
    {
        BlankZonesStage stage = BlankZonesStage.Prepare(_config, _population, [], [.. _config.Hazards.Select(h => h.Name)])
            ?? throw new InvalidOperationException($"{Country.ConfigPath}: blank zones are switched off (or the grid is not in longitude/latitude): nothing to measure.");
        BandResult totals = OverlayRunner.Run(_model, _population, _options, rasters: null, cellConsumer: stage.Consumer);
        return (totals, stage.Finish(_model, totals, dir, _options.Threads));
    }
}
