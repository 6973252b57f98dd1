using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Zones;

namespace Ewcm.Engine.Pipeline;

/// <summary>
/// `ewcm run`: one country from country.yaml to DIR/&lt;ISO3&gt;/, written atomically.
/// </summary>
public static class CountryRun
{
    /// <summary>Below this many people per km² on average, a "counts" raster is almost surely densities.</summary>
    private const double MinPlausibleDensity = 0.2;

    /// <summary>Runs one country.</summary>
    /// <param name="config">The loaded country.yaml.</param>
    /// <param name="options">Output folder and settings.</param>
    /// <param name="log">Receives one line per finished stage.</param>
    /// <param name="progress">Optional: the stage and its fraction done, reported from the running threads.</param>
    /// <param name="cancellationToken">
    /// Optional: checked between stages and after every band of the overlay; a cancelled run throws
    /// <see cref="OperationCanceledException"/> and leaves no output folder (the temporary one is deleted).
    /// </param>
    public static RunResult Execute(CountryConfig config, RunOptions options, Action<string>? log = null,
        IProgress<RunProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new RunProgress(RunStage.Inputs, 0));
        var stages = new Dictionary<string, double>();
        DateTime started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        void Stage(string name)
        {
            stages[name] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            log?.Invoke($"{name,-10} {clock.Elapsed.TotalSeconds,7:F2} s");
            clock.Restart();
        }

        // The inputs' checksums (summary.json) read every input file once more: done on the side, in the
        // moments the stages leave a core idle (the serial parts), instead of at the end.
        Task<List<SummaryJson.InputFile>> inputHashes = Task.Run(() => HashInputs(config), cancellationToken);
        var warnings = new List<string>();
        PopulationGrid population = PopulationGrid.Open(config.Population);
        OverlayModel model = ModelBuilder.Build(config, population, warnings, options.Threads);
        BlankZonesStage? zones = BlankZonesStage.Prepare(config, population, warnings, [.. config.Hazards.Select(h => h.Name)]);
        Stage("inputs");
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new RunProgress(RunStage.Overlay, 0));

        using OutputFolder folder = OutputFolder.Begin(options.OutputRoot, config.Iso3);
        IProgress<double>? bands = progress is null && !cancellationToken.CanBeCanceled ? null : new BandProgress(progress, cancellationToken);
        using RasterSet? rasters = options.WriteRasters ? RasterSet.Create(folder.TempPath, model, population.CrsWkt) : null;
        BandResult totals = OverlayRunner.Run(model, population, options, rasters, bands, zones?.Consumer);
        // The rasters are assembled (mostly a copy of the overviews) while the zones and tables are made.
        Task rastersDone = rasters?.CompleteAsync(options.Threads) ?? Task.CompletedTask;
        Stage("overlay");
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new RunProgress(RunStage.Outputs, 0));
        CheckPlausible(config, totals);
        var zoneParts = new Dictionary<string, double>();
        BlankZoneReport? zoneReport = zones?.Finish(model, totals, folder.TempPath, options.Threads, (part, s) => zoneParts[$"zones_{part}"] = s);
        if (zoneReport is not null)
        {
            Stage("zones");
            foreach ((string part, double s) in zoneParts)
            {
                stages[part] = s; // the zones stage's parts, after it in the log
            }
        }

        var levelFiles = new List<SummaryJson.LevelFile>();
        for (int l = 0; l < model.Levels.Count; l++)
        {
            string name = config.SingleAdminLevel ? "admin_stats.csv" : $"admin_stats_{model.Levels[l].Name}.csv";
            AdminStatsCsv.Write(folder.File(name), model, l, totals);
            AdminUnitsGeoJson.Write(folder.File(AdminUnitsGeoJson.FileName(name)), model.Levels[l], model.Grid, population.CrsWkt);
            levelFiles.Add(new SummaryJson.LevelFile(model.Levels[l].Name, name));
        }

        SummaryJson.Write(folder.File("summary.json"), config, model, totals, inputHashes.GetAwaiter().GetResult(), levelFiles, rasters?.FileNames ?? [],
            warnings, CrsInfo.Describe(population.CrsWkt), zoneReport is null ? null : w => BlankZoneFiles.WriteSummary(w, zoneReport));
        rastersDone.GetAwaiter().GetResult();
        Stage("outputs");
        WriteRunLog(folder.File("run_log.json"), config, options, started, stages, totals);
        cancellationToken.ThrowIfCancellationRequested();
        folder.Commit();
        progress?.Report(new RunProgress(RunStage.Done, 1));
        return new RunResult(model, totals, warnings, folder.FinalPath, stages);
    }

    /// <summary>
    /// A density grid declared as counts gives absurdly few people per km² (e.g. 43 "people" in a 340 km²
    /// cell); stop rather than publish a country of a few thousand people.
    /// </summary>
    private static void CheckPlausible(CountryConfig config, BandResult totals)
    {
        if (config.Population.Kind != PopulationKind.Counts || totals.ValidAreaKm2 <= 0)
        {
            return;
        }

        double density = totals.ValidPopulation / totals.ValidAreaKm2;
        if (density < MinPlausibleDensity)
        {
            string text = string.Create(CultureInfo.InvariantCulture,
                $"declared as counts (people per cell), the raster gives {totals.ValidPopulation:N0} people over {totals.ValidAreaKm2:N0} km², only {density:G3} per km²; its values look like densities (people per km²)");
            throw InputException.For(config.Population.Path, null, text,
                "If the raster holds people per km², set kind: density under population in country.yaml");
        }
    }

    private static List<SummaryJson.InputFile> HashInputs(CountryConfig config)
    {
        var files = new List<(string Role, string Path)> { ("population", config.Population.Path) };
        files.AddRange(config.Admin.Select(a => ($"admin:{a.Level}", a.Path)));
        files.AddRange(config.Coverage.Select(c => ($"coverage:{TechnologyNames.Label(c.Technology)}", c.Path)));
        files.AddRange(config.Hazards.Select(h => ($"hazard:{h.Name}", h.Path)));
        if (config.Places is not null)
        {
            files.Add(("places", config.Places.Path));
        }

        var result = new List<SummaryJson.InputFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string folder = Path.GetDirectoryName(config.SourcePath)!;
        foreach ((string role, string path) in files)
        {
            if (!seen.Add(path))
            {
                continue;
            }

            string hash = FileChecksum.Sha256Hex(path);
            result.Add(new SummaryJson.InputFile(role, Path.GetRelativePath(folder, path).Replace('\\', '/'), hash));
        }

        return result;
    }

    /// <summary>
    /// run_log.json. Written field by field: the reflection serializer's first call costs about 0.06 s, at the
    /// very end of every run.
    /// </summary>
    private static void WriteRunLog(string path, CountryConfig config, RunOptions options, DateTime started, Dictionary<string, double> stages, BandResult totals)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ewcm_version", EngineInfo.Version);
            w.WriteString("config", config.SourcePath);
            w.WriteString("started_utc", started.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("machine", Environment.MachineName);
            w.WriteString("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            w.WriteString("dotnet", Environment.Version.ToString());
            w.WriteNumber("threads", options.Threads);
            w.WriteNumber("band_height", options.BandHeight);
            w.WriteStartObject("stage_seconds");
            foreach ((string stage, double seconds) in stages)
            {
                w.WriteNumber(stage, seconds);
            }

            w.WriteEndObject();
            w.WriteNumber("cells", totals.ValidCells);
            w.WriteNumber("exact_cells", totals.ExactCells);
            w.WriteEndObject();
        }

        File.WriteAllBytes(path, stream.ToArray());
    }

    /// <summary>
    /// Forwards the overlay's fraction of bands done; throws when cancellation is requested, which stops
    /// the overlay's workers after their current band (the overlay rethrows it on the calling thread).
    /// </summary>
    private sealed class BandProgress(IProgress<RunProgress>? progress, CancellationToken cancellationToken) : IProgress<double>
    {
        public void Report(double value)
        {
            progress?.Report(new RunProgress(RunStage.Overlay, value));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}

/// <summary>The stages of a run, in order.</summary>
public enum RunStage
{
    /// <summary>Reading and checking the inputs, building the coverage masks.</summary>
    Inputs,

    /// <summary>The overlay, band by band (the fraction is that of bands done).</summary>
    Overlay,

    /// <summary>Writing the tables and summary, committing the folder.</summary>
    Outputs,

    /// <summary>The output folder is in place.</summary>
    Done,
}

/// <summary>Where a run is: its stage and the fraction of that stage done (0 to 1).</summary>
public readonly record struct RunProgress(RunStage Stage, double Fraction);
