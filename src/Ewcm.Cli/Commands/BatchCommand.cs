using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Ewcm.Engine.Batch;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Pipeline;
using Spectre.Console;

namespace Ewcm.Cli.Commands;

/// <summary>`ewcm batch manifest.yaml [--out DIR] [--parallel N] [--resume] [--shard K/N]`.</summary>
public static class BatchCommand
{
    /// <summary>Some countries failed (the others finished): see batch_summary.csv and the errors printed.</summary>
    public const int SomeFailed = 1;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (128 + SIGTERM), e.g. a scheduler ending the job.</summary>
    public const int Terminated = 143;

    public static Command Create()
    {
        var manifest = new Argument<FileInfo>("manifest.yaml") { Description = "The countries and shared defaults (see data/samples/manifest.yaml)." };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Output folder: DIR/<id>/ per country, DIR/batch_summary.csv and .json, DIR/batch_log.json.",
            HelpName = "DIR",
            DefaultValueFactory = _ => new DirectoryInfo("out"),
        };
        var parallel = new Option<int>("--parallel", "-p")
        {
            Description = "Countries run at once (0 = the manifest's defaults.parallel, else 1). The threads are shared out between them.",
            HelpName = "N",
            DefaultValueFactory = _ => 0,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for the whole batch (0 = every core), split between the countries running at once.",
            HelpName = "N",
            DefaultValueFactory = _ => 0,
        };
        var resume = new Option<bool>("--resume") { Description = "Skip countries whose folder holds a finished result of the same inputs (content hashes) and settings." };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only shard K of N (1-based, e.g. 2/3): a deterministic subset balanced by input size; combine shards with `ewcm merge`.",
            HelpName = "K/N",
        };
        var plain = new Option<bool>("--plain") { Description = "Plain timestamped progress lines even on a terminal (the default when stderr is not a terminal)." };
        var noRasters = new Option<bool>("--no-rasters") { Description = "Skip the GeoTIFF outputs of every country (tables only)." };
        var command = new Command("batch", "Run the countries of a manifest: bounded parallelism, progress, isolation of failures, --resume, --shard K/N.")
        {
            manifest, output, parallel, threads, resume, shard, plain, noRasters,
        };
        command.SetAction(parse => Execute(parse.GetValue(manifest)!, parse.GetValue(output)!, parse.GetValue(parallel), parse.GetValue(threads),
            parse.GetValue(resume), parse.GetValue(shard), parse.GetValue(plain), parse.GetValue(noRasters)));
        return command;
    }

    private static int Execute(FileInfo manifestFile, DirectoryInfo output, int parallel, int threads, bool resume, string? shard, bool plain, bool noRasters)
    {
        BatchManifest manifest;
        BatchOptions options;
        try
        {
            if (parallel < 0)
            {
                throw new InputException($"--parallel must be 1 or more (0 = the manifest's default), not {parallel}.");
            }

            if (threads < 0)
            {
                throw new InputException($"--threads must be 0 (every core) or more, not {threads}.");
            }

            ShardSpec? spec = shard is null ? null : ShardSpec.Parse(shard);
            manifest = BatchManifest.Load(manifestFile.FullName);
            options = new BatchOptions(output.FullName, parallel > 0 ? parallel : manifest.Parallel ?? 1, threads)
            {
                Resume = resume,
                Shard = spec,
                WriteRasters = noRasters ? false : null,
            };
        }
        catch (EwcmException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }

        using var signals = new StopSignals();
        BatchOutcome outcome;
        try
        {
            IAnsiConsole errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            bool live = !plain && !Console.IsErrorRedirected && errors.Profile.Capabilities is { Interactive: true, Ansi: true };
            if (live)
            {
                outcome = LiveProgress.Run(errors, manifest, options, signals);
            }
            else
            {
                var writer = new PlainProgressWriter(Console.Error);
                signals.Notify = writer.Note;
                outcome = BatchRunner.Run(manifest, options, writer, signals.Token);
            }
        }
        catch (Exception e) when (e is EwcmException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }

        foreach (CountryResult r in outcome.Results.Where(r => r.Action == CountryAction.Failed))
        {
            // Plain text, never wrapped: messages carry paths that must survive logs.
            Console.Error.WriteLine($"error: {r.Entry.Id} failed: {r.Error}");
        }

        PrintTable(outcome.Summary, outcome.Results.ToDictionary(r => r.Entry.Id, r => r, StringComparer.Ordinal));
        BatchSummary s = outcome.Summary;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(outcome.Cancelled ? "Stopped" : "Finished")}: {s.Count(BatchStatus.Ok)} ok, {s.Count(BatchStatus.Failed)} failed, {s.Count(BatchStatus.NotRun)} not run, in {outcome.WallSeconds:F1} s (wall time). Summary: {Path.Combine(options.OutputRoot, BatchSummary.CsvName)}"));
        if (outcome.Cancelled)
        {
            Console.Error.WriteLine("Stopped before the end: finished countries are kept; run the same command with --resume to do the rest.");
            return signals.ExitCode;
        }

        return outcome.AnyFailed ? SomeFailed : ExitCodes.Ok;
    }

    /// <summary>The summary as a table on stdout (with run times when <paramref name="results"/> has them).</summary>
    internal static void PrintTable(BatchSummary summary, IReadOnlyDictionary<string, CountryResult>? results)
    {
        var table = new Table().AddColumns("Country", "Status", "Population", "≥2G %", "≥3G %", "≥4G %", "Uncovered", "Time");
        foreach (BatchRow r in summary.Rows)
        {
            CountryResult? result = results?.GetValueOrDefault(r.Id);
            string status = result?.Action switch
            {
                CountryAction.Reused => "ok (reused)",
                CountryAction.Cancelled => "interrupted",
                _ => r.Status,
            };
            table.AddRow(
                Markup.Escape(r.Id),
                r.Status == BatchStatus.Ok ? status : $"[red]{Markup.Escape(status)}[/]",
                Format(r.Population, "N0"), Format(r.PctCovered[0], "F1"), Format(r.PctCovered[1], "F1"), Format(r.PctCovered[2], "F1"),
                Format(r.Uncovered, "N0"),
                result is null || result.Action is CountryAction.NotRun ? "-" : result.Seconds.ToString("F1", CultureInfo.InvariantCulture) + " s");
        }

        AnsiConsole.Write(table);
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    /// <summary>
    /// Ctrl-C and SIGTERM stop the batch cleanly: running countries are interrupted after their current
    /// band and leave nothing, finished ones are kept, the summary is written. A second Ctrl-C ends the
    /// process at once (still nothing half-written: folders only appear by renaming).
    /// </summary>
    private sealed class StopSignals : IDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly PosixSignalRegistration? _term;

        public StopSignals()
        {
            Console.CancelKeyPress += OnCancelKey;
            try
            {
                _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerm);
            }
            catch (PlatformNotSupportedException)
            {
                _term = null;
            }
        }

        public CancellationToken Token => _cts.Token;

        public int ExitCode { get; private set; } = Interrupted;

        /// <summary>Where the "stopping" message goes (the progress display's own channel).</summary>
        public Action<string> Notify { get; set; } = text => Console.Error.WriteLine(text);

        public void Dispose()
        {
            Console.CancelKeyPress -= OnCancelKey;
            _term?.Dispose();
            _cts.Dispose();
        }

        private void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
        {
            if (!_cts.IsCancellationRequested)
            {
                e.Cancel = true;
                Stop(Interrupted, "Ctrl-C");
            }
        }

        private void OnTerm(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!_cts.IsCancellationRequested)
            {
                Stop(Terminated, "SIGTERM");
            }
        }

        private void Stop(int code, string what)
        {
            ExitCode = code;
            Notify($"{what}: stopping; countries still running are interrupted and leave nothing behind (Ctrl-C again quits at once).");
            _cts.Cancel();
        }
    }

    /// <summary>The live display (Spectre.Console) on a terminal: one line per country with its stage and percentage, and an overall line with the estimate.</summary>
    private sealed class LiveProgress : IBatchObserver
    {
        private readonly ProgressContext _context;
        private readonly Dictionary<BatchEntry, ProgressTask> _tasks = [];
        private readonly Lock _gate = new();
        private BatchProgress? _progress;
        private ProgressTask? _overall;
        private string? _stopping;
        private int _width;

        private readonly bool _compact;

        private LiveProgress(ProgressContext context, bool compact)
        {
            _context = context;
            _compact = compact;
        }

        public static BatchOutcome Run(IAnsiConsole console, BatchManifest manifest, BatchOptions options, StopSignals signals)
        {
            BatchOutcome? outcome = null;
            int countries = options.Shard is ShardSpec shard ? shard.Select(manifest.Entries).Count : manifest.Entries.Count;
            // More countries than lines on the screen (33 on a laptop's terminal): show the running ones only.
            bool compact = countries + 4 > console.Profile.Height;
            console.Progress()
                .AutoClear(false)
                .HideCompleted(compact)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    var live = new LiveProgress(context, compact);
                    signals.Notify = live.Stopping;
                    outcome = BatchRunner.Run(manifest, options, live, signals.Token);
                });
            return outcome!;
        }

        /// <summary>Shows the stop request on the overall line (writing to the console would tear the display).</summary>
        private void Stopping(string text)
        {
            lock (_gate)
            {
                _stopping = text.Split(':')[0];
                UpdateOverall();
            }
        }

        public void BatchStarted(BatchPlan plan)
        {
            lock (_gate)
            {
                _progress = new BatchProgress(plan);
                _width = Math.Max(7, plan.Countries.Count == 0 ? 0 : plan.Countries.Max(c => c.Id.Length));
                _overall = _context.AddTask(Overall(), maxValue: 100);
                foreach (BatchEntry entry in _compact ? [] : plan.Countries)
                {
                    _tasks[entry] = _context.AddTask(Describe(entry, "[grey]waiting[/]"), autoStart: false, maxValue: 100);
                }
            }
        }

        public void CountryStarted(BatchEntry entry)
        {
            lock (_gate)
            {
                ProgressTask task = Task(entry);
                task.Description = Describe(entry, "starting");
                task.StartTask();
            }
        }

        public void CountryProgress(BatchEntry entry, RunProgress progress)
        {
            lock (_gate)
            {
                double fraction = _progress!.Report(entry, progress);
                ProgressTask task = Task(entry);
                task.Description = Describe(entry, progress.Stage.ToString().ToLowerInvariant());
                task.Value = 100 * fraction;
                UpdateOverall();
            }
        }

        public void CountryFinished(CountryResult result)
        {
            lock (_gate)
            {
                _progress!.Finish(result);
                ProgressTask task = Task(result.Entry);
                string text = result.Action switch
                {
                    CountryAction.Ran => string.Create(CultureInfo.InvariantCulture, $"[green]ok[/] in {result.Seconds:F1} s"),
                    CountryAction.Reused => "[green]reused[/] (unchanged)",
                    CountryAction.Failed => "[red]failed[/] (error below)",
                    CountryAction.Cancelled => "[yellow]interrupted[/]",
                    _ => "[grey]not run[/]",
                };
                task.Description = Describe(result.Entry, text);
                if (result.Action is not (CountryAction.Cancelled or CountryAction.NotRun))
                {
                    task.Value = 100;
                }

                task.StopTask();
                UpdateOverall();
            }
        }

        public void BatchFinished(BatchOutcome outcome)
        {
            lock (_gate)
            {
                UpdateOverall();
                _overall?.StopTask();
            }
        }

        /// <summary>The country's line (in compact mode, made when it starts).</summary>
        private ProgressTask Task(BatchEntry entry)
        {
            if (!_tasks.TryGetValue(entry, out ProgressTask? task))
            {
                task = _context.AddTask(Describe(entry, "starting"), autoStart: false, maxValue: 100);
                _tasks[entry] = task;
            }

            return task;
        }

        private void UpdateOverall()
        {
            if (_overall is not null && _progress is not null)
            {
                _overall.Description = Overall();
                _overall.Value = 100 * _progress.Overall;
            }
        }

        private string Overall()
        {
            if (_progress is null)
            {
                return "[bold]overall[/]";
            }

            TimeSpan? left = _progress.Remaining;
            string eta = _stopping is not null ? $", [yellow]stopping ({Markup.Escape(_stopping)})[/]"
                : left is TimeSpan l ? $", about {BatchProgress.Clock(l)} left" : string.Empty;
            return $"[bold]{"overall".PadRight(_width)}[/] {_progress.Done}/{_progress.Plan.Countries.Count} done, {_progress.Failed} failed, {BatchProgress.Clock(_progress.Elapsed)}{eta}";
        }

        private string Describe(BatchEntry entry, string state) => $"{Markup.Escape(entry.Id.PadRight(_width))} {state}";
    }
}
