using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Batch;

/// <summary>Settings of `ewcm batch`.</summary>
public sealed record BatchOptions
{
    /// <param name="outputRoot">Folder that receives &lt;id&gt;/ per country and the batch summary.</param>
    /// <param name="parallel">Countries run at once (at least 1).</param>
    /// <param name="threads">Threads for the whole batch, shared out between the countries running at once (0 = every core).</param>
    public BatchOptions(string outputRoot, int parallel = 1, int threads = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        OutputRoot = outputRoot;
        Parallel = parallel;
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    public string OutputRoot { get; }

    public int Parallel { get; }

    public int Threads { get; }

    /// <summary>Skip countries whose folder holds a result of the same inputs and settings.</summary>
    public bool Resume { get; init; }

    /// <summary>Run only this shard's countries.</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>Overrides every country's rasters setting when not null (`--no-rasters`).</summary>
    public bool? WriteRasters { get; init; }
}

/// <summary>
/// `ewcm batch`: the countries of a manifest, a few at a time, each isolated (a failure is reported and
/// the others go on) and written atomically to DIR/&lt;id&gt;/ with its fingerprint; then
/// batch_summary.csv/.json (deterministic) and batch_log.json (timings).
/// </summary>
/// <remarks>
/// A country runs in a hidden staging folder DIR/.ewcm-staging-&lt;id&gt;-&lt;guid&gt;/ that is renamed to
/// DIR/&lt;id&gt; only once complete, fingerprint included: Ctrl-C, SIGTERM or a failure leaves the previous
/// result (or nothing), never a half-written folder. A kill (SIGKILL, power loss) can leave staging folders
/// behind; the next batch on the same folder deletes them before it starts. One batch at a time may write
/// to a folder (DIR/.ewcm-batch.lock).
/// </remarks>
public static class BatchRunner
{
    public const string LogName = "batch_log.json";

    internal const string StagingPrefix = ".ewcm-staging-";

    internal const string OldPrefix = ".ewcm-old-";

    private const string LockName = ".ewcm-batch.lock";

    private static readonly JsonSerializerOptions LogJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Runs the batch. Throws only for problems of the batch itself (output folder locked or not writable).</summary>
    public static BatchOutcome Run(BatchManifest manifest, BatchOptions options, IBatchObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        var wall = Stopwatch.StartNew();
        DateTime started = DateTime.UtcNow;
        string root = Path.GetFullPath(options.OutputRoot);
        Directory.CreateDirectory(root);
        using FileStream gate = Lock(root);
        RemoveLeftovers(root);

        IReadOnlyList<BatchEntry> countries = options.Shard is ShardSpec shard ? shard.Select(manifest.Entries) : manifest.Entries;
        int parallel = Math.Max(1, Math.Min(options.Parallel, countries.Count));
        int threads = Math.Max(1, options.Threads / parallel);
        var plan = new BatchPlan(manifest.SourcePath, root, countries, [.. countries.Select(c => Math.Max(1, c.InputBytes))],
            manifest.Entries.Count, parallel, threads, options.Shard, options.Resume);
        observer?.BatchStarted(plan);

        // Largest first (by input bytes), so that a big country does not start last and run alone.
        int[] order = [.. Enumerable.Range(0, countries.Count).OrderByDescending(i => plan.Weights[i]).ThenBy(i => i)];
        var results = new CountryResult[countries.Count];
        int next = -1;
        var workers = new Thread[parallel];
        for (int w = 0; w < parallel; w++)
        {
            workers[w] = new Thread(() =>
            {
                int k;
                while ((k = Interlocked.Increment(ref next)) < order.Length)
                {
                    BatchEntry entry = countries[order[k]];
                    CountryResult result = cancellationToken.IsCancellationRequested
                        ? new CountryResult(entry, CountryAction.NotRun, 0, null, null, Unfinished(entry, BatchStatus.NotRun, null, manifest))
                        : RunCountry(entry, root, threads, options, manifest, observer, cancellationToken);
                    results[order[k]] = result;
                    observer?.CountryFinished(result);
                }
            })
            {
                Name = $"ewcm batch worker {w + 1}",
            };
            workers[w].Start();
        }

        foreach (Thread t in workers)
        {
            t.Join();
        }

        ShardInfo? shardInfo = options.Shard is ShardSpec s ? new ShardInfo(s, [.. manifest.Entries.Select(e => e.Id)]) : null;
        var summary = new BatchSummary(Path.GetFileName(manifest.SourcePath), manifest.Sha256, EngineInfo.Version, shardInfo,
            [.. results.Select(r => r.Row)]);
        summary.WriteTo(root);
        wall.Stop();
        var outcome = new BatchOutcome(plan, results, summary, wall.Elapsed.TotalSeconds, cancellationToken.IsCancellationRequested);
        WriteLog(root, outcome, started);
        observer?.BatchFinished(outcome);
        return outcome;
    }

    private static CountryResult RunCountry(BatchEntry entry, string root, int threads, BatchOptions options, BatchManifest manifest,
        IBatchObserver? observer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        observer?.CountryStarted(entry);
        string? staging = null;
        string? reason = null;
        try
        {
            if (entry.Config is null)
            {
                throw new ConfigException(entry.LoadError ?? $"{entry.Where}: the country could not be loaded");
            }

            BatchSettings settings = options.WriteRasters is bool r ? entry.Settings with { WriteRasters = r } : entry.Settings;
            var effective = new BatchEntry(entry.Index, entry.Id, entry.Where, entry.ConfigPath, entry.Config, null, settings);
            BatchFingerprint fingerprint = BatchFingerprint.Compute(effective);
            string final = Path.Combine(root, entry.Id);
            if (options.Resume)
            {
                if (fingerprint.Matches(final, out reason))
                {
                    return new CountryResult(entry, CountryAction.Reused, clock.Elapsed.TotalSeconds, null, reason,
                        BatchRow.FromSummary(entry.Id, Path.Combine(final, "summary.json")));
                }
            }

            staging = Path.Combine(root, $"{StagingPrefix}{entry.Id}-{Guid.NewGuid():N}");
            var runOptions = new RunOptions(staging, threads, settings.BandHeight, settings.WriteRasters);
            var progress = observer is null ? null : new Forward(observer, entry);
            RunResult result = CountryRun.Execute(entry.Config, runOptions, null, progress, cancellationToken);
            fingerprint.WriteTo(result.OutputFolder);
            cancellationToken.ThrowIfCancellationRequested();
            Commit(result.OutputFolder, final, root, entry.Id);
            return new CountryResult(entry, CountryAction.Ran, clock.Elapsed.TotalSeconds, null, options.Resume ? reason : null,
                BatchRow.FromSummary(entry.Id, Path.Combine(final, "summary.json")));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new CountryResult(entry, CountryAction.Cancelled, clock.Elapsed.TotalSeconds, null, null,
                Unfinished(entry, BatchStatus.NotRun, null, manifest));
        }
        catch (Exception e)
        {
            // Isolation: whatever went wrong stays with this country.
            string message = e is EwcmException or IOException or UnauthorizedAccessException
                ? e.Message
                : $"internal error ({e.GetType().Name}): {e.Message}";
            return new CountryResult(entry, CountryAction.Failed, clock.Elapsed.TotalSeconds, message, null,
                Unfinished(entry, BatchStatus.Failed, message, manifest));
        }
        finally
        {
            if (staging is not null)
            {
                TryDelete(staging);
            }
        }
    }

    /// <summary>The row of a country without a result of this batch: no figures, its status and error.</summary>
    private static BatchRow Unfinished(BatchEntry entry, string status, string? error, BatchManifest manifest) =>
        new(entry.Id, entry.Config?.Iso3, entry.Config?.Name, status)
        {
            // Paths relative to the manifest's folder, so that the summary is the same on every machine.
            Error = error?.Replace(manifest.Folder + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal),
        };

    /// <summary>Puts a finished folder in place of DIR/&lt;id&gt;, replacing an older one.</summary>
    internal static void Commit(string finished, string final, string root, string id)
    {
        string? old = null;
        if (Directory.Exists(final))
        {
            old = Path.Combine(root, $"{OldPrefix}{id}-{Guid.NewGuid():N}");
            Directory.Move(final, old);
        }

        Directory.Move(finished, final);
        if (old is not null)
        {
            TryDelete(old);
        }
    }

    /// <summary>
    /// Takes the folder's lock for this batch: a second batch (or merge) writing to the same folder at the
    /// same time is refused, since both would replace the same summaries. The lock goes with the process.
    /// </summary>
    internal static FileStream Lock(string root)
    {
        string path = Path.Combine(root, LockName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e)
        {
            throw new InputException($"{root}: another `ewcm batch` or `ewcm merge` is writing to this folder ({path} is locked). Wait for it to finish, or give another --out.", e);
        }
    }

    /// <summary>Deletes what interrupted batches left in the folder (staging and replaced folders); they hold nothing of value.</summary>
    internal static void RemoveLeftovers(string root)
    {
        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) || name.StartsWith(OldPrefix, StringComparison.Ordinal))
            {
                TryDelete(dir);
            }
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next batch's clean-up.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>batch_log.json: what is not deterministic (timings, machine, what was reused), kept out of the summary.</summary>
    private static void WriteLog(string root, BatchOutcome outcome, DateTime started)
    {
        BatchPlan plan = outcome.Plan;
        var log = new Dictionary<string, object?>
        {
            ["ewcm_version"] = EngineInfo.Version,
            ["manifest"] = plan.ManifestPath,
            ["started_utc"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["wall_seconds"] = Math.Round(outcome.WallSeconds, 3),
            ["countries_per_minute"] = Math.Round(outcome.CountriesPerMinute, 3),
            ["cancelled"] = outcome.Cancelled,
            ["machine"] = Environment.MachineName,
            ["processors"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["dotnet"] = Environment.Version.ToString(),
            ["parallel"] = plan.Parallel,
            ["threads_per_country"] = plan.ThreadsPerCountry,
            ["shard"] = plan.Shard?.ToString(),
            ["resume"] = plan.Resume,
            ["countries"] = outcome.Results.Select(r => new Dictionary<string, object?>
            {
                ["id"] = r.Entry.Id,
                ["action"] = r.Action switch
                {
                    CountryAction.Ran => "ran",
                    CountryAction.Reused => "reused",
                    CountryAction.Failed => "failed",
                    CountryAction.Cancelled => "cancelled",
                    _ => "not_run",
                },
                ["seconds"] = Math.Round(r.Seconds, 3),
                ["input_bytes"] = r.Entry.InputBytes,
                ["reason"] = r.Reason,
                ["error"] = r.Error,
            }).ToList(),
        };
        AtomicFile.Write(Path.Combine(root, LogName), JsonSerializer.SerializeToUtf8Bytes(log, LogJson));
    }

    private sealed class Forward(IBatchObserver observer, BatchEntry entry) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => observer.CountryProgress(entry, value);
    }
}
