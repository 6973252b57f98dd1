using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ewcm.Engine.Batch;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Pipeline;
using Ewcm.Engine.Tests.Pipeline;

namespace Ewcm.Engine.Tests.Batch;

/// <summary>`ewcm batch` in-process: isolation of failures, --resume, interruption, leftovers, progress lines.</summary>
public sealed partial class BatchRunTests : IDisposable
{
    private readonly BatchSandbox _box = BatchSandbox.FourCountries();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Runs_every_country_into_its_folder_with_a_summary_in_manifest_order()
    {
        BatchOutcome outcome = _box.Run("out", parallel: 2);

        Assert.False(outcome.AnyFailed);
        Assert.All(outcome.Results, r => Assert.Equal(CountryAction.Ran, r.Action));
        string output = _box.In("out");
        Assert.Equal(["AAA", "BBB", "CCC", "DDD", "batch_log.json", "batch_summary.csv", "batch_summary.json"],
            Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string[] csv = File.ReadAllLines(Path.Combine(output, BatchSummary.CsvName));
        Assert.Equal(string.Join(',', BatchSummary.CsvColumns), csv[0]);
        Assert.Equal(["AAA", "BBB", "CCC", "DDD"], csv.Skip(1).Select(l => l.Split(',')[0]));

        // Each row holds its country's national figures, as its summary.json gives them.
        foreach (BatchRow row in outcome.Summary.Rows)
        {
            RunOutputs run = RunOutputs.Read(Path.Combine(output, row.Id));
            Assert.Equal(BatchStatus.Ok, row.Status);
            Assert.Equal(run.Total, row.Population);
            double pct3g = Math.Round(100 * run.NationalCovered("3G") / run.Total, 4);
            Assert.Equal(pct3g, row.PctCovered[1]!.Value, 1e-9);
            Assert.True(row.PctCovered[0] >= row.PctCovered[1] && row.PctCovered[1] >= row.PctCovered[2]);
            Assert.Null(row.PctCovered[3]);
            Assert.True(File.Exists(Path.Combine(output, row.Id, BatchFingerprint.FileName)));
            Assert.Empty(Directory.GetFiles(Path.Combine(output, row.Id), "*.tif")); // defaults: rasters: false
        }

        Assert.Equal("Country DDD (inline)", outcome.Summary.Rows[3].Name);
    }

    [Fact]
    public void A_failing_country_is_reported_with_its_error_and_the_others_finish()
    {
        // A broken country.yaml (failure when loading) and a corrupt raster (failure while running).
        File.WriteAllText(_box.In("bbb", "country.yaml"), "iso3: BBB\nname: Broken\npopulation: { path: pop.tif, kind: people }\n");
        File.WriteAllBytes(_box.In("ccc", "pop.tif"), [1, 2, 3, 4]);

        BatchOutcome outcome = _box.Run("out", parallel: 2);

        Assert.True(outcome.AnyFailed);
        Assert.Equal([CountryAction.Ran, CountryAction.Failed, CountryAction.Failed, CountryAction.Ran], outcome.Results.Select(r => r.Action));
        BatchRow bbb = outcome.Summary.Rows[1];
        Assert.Equal(BatchStatus.Failed, bbb.Status);
        // Errors in the summary name paths relative to the manifest (same bytes on every machine).
        Assert.StartsWith("bbb/country.yaml, line 3: population.kind 'people' is not known", bbb.Error, StringComparison.Ordinal);
        Assert.Contains(_box.In("bbb", "country.yaml"), outcome.Results[1].Error, StringComparison.Ordinal);
        Assert.StartsWith("ccc/pop.tif", outcome.Summary.Rows[2].Error, StringComparison.Ordinal);
        Assert.Equal(["AAA", "DDD"], Directory.GetDirectories(_box.In("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, outcome.Summary.Count(BatchStatus.Ok));
        Assert.Contains("failed,,,,,,,,,,,,,", File.ReadAllText(_box.In("out", BatchSummary.CsvName)), StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_skips_unchanged_countries_and_redoes_the_one_whose_input_changed_by_one_byte()
    {
        BatchOutcome first = _box.Run("out");
        Dictionary<string, string> before = BatchSandbox.Snapshot(_box.In("out"));

        BatchOutcome unchanged = _box.Run("out", resume: true);
        Assert.All(unchanged.Results, r => Assert.Equal(CountryAction.Reused, r.Action));
        // Nothing was rewritten but the log: same folders, same files, same bytes.
        Dictionary<string, string> after = BatchSandbox.Snapshot(_box.In("out"));
        Assert.NotEqual(before[BatchRunner.LogName], after[BatchRunner.LogName]);
        Assert.Equal(before.Where(p => p.Key != BatchRunner.LogName).OrderBy(p => p.Key, StringComparer.Ordinal),
            after.Where(p => p.Key != BatchRunner.LogName).OrderBy(p => p.Key, StringComparer.Ordinal));

        // One byte of BBB's coverage GeoPackage: the name of a table row's operator ("OpA" → "OpC").
        string coverage = _box.In("bbb", "coverage.gpkg");
        byte[] bytes = File.ReadAllBytes(coverage);
        int at = IndexOf(bytes, "OpA"u8) + 2;
        bytes[at] = (byte)'C';
        File.WriteAllBytes(coverage, bytes);

        BatchOutcome again = _box.Run("out", resume: true);

        Assert.Equal([CountryAction.Reused, CountryAction.Ran, CountryAction.Reused, CountryAction.Reused], again.Results.Select(r => r.Action));
        Assert.Equal("input coverage.gpkg changed", again.Results[1].Reason);
        Assert.Contains("OpC", File.ReadAllText(_box.In("out", "BBB", "admin_stats.csv")), StringComparison.Ordinal);
        // The summary does not say which were reused: the same inputs give the same bytes.
        Assert.Equal(File.ReadAllBytes(_box.In("out", BatchSummary.JsonName)), again.Summary.ToJson());
        Assert.Equal(first.Summary.ToCsv().Split('\n')[1], again.Summary.ToCsv().Split('\n')[1]);
        using JsonDocument log = JsonDocument.Parse(File.ReadAllText(_box.In("out", BatchRunner.LogName)));
        Assert.Equal(["reused", "ran", "reused", "reused"], log.RootElement.GetProperty("countries").EnumerateArray().Select(c => c.GetProperty("action").GetString()));
    }

    [Fact]
    public void Resume_redoes_a_country_whose_settings_or_outputs_changed()
    {
        _box.Run("out");
        // One digit of CCC's summary.json (same size: only its hash tells).
        string summary = _box.In("out", "CCC", "summary.json");
        File.WriteAllText(summary, File.ReadAllText(summary).Replace("\"columns\": 10", "\"columns\": 11", StringComparison.Ordinal));
        File.Delete(_box.In("out", "AAA", "admin_stats.csv"));
        _box.WriteManifest(File.ReadAllText(_box.ManifestPath).Replace("- { config: bbb }", "- { config: bbb, band_height: 5 }", StringComparison.Ordinal));

        BatchOutcome again = _box.Run("out", resume: true);

        Assert.Equal([CountryAction.Ran, CountryAction.Ran, CountryAction.Ran, CountryAction.Reused], again.Results.Select(r => r.Action));
        Assert.Equal(["output admin_stats.csv is missing or has changed", "the settings changed (rasters or band_height)", "output summary.json has changed"],
            again.Results.Take(3).Select(r => r.Reason));
    }

    [Fact]
    public void An_interrupted_country_leaves_no_folder_and_the_rest_are_not_run()
    {
        // AAA runs first (the largest) in bands of 2 rows; the batch is cancelled in the middle of its overlay.
        _box.WriteManifest(File.ReadAllText(_box.ManifestPath).Replace("rasters: false", "rasters: true\n  band_height: 2", StringComparison.Ordinal));
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAt(cancel, RunStage.Overlay, 0.25);

        BatchOutcome outcome = _box.Run("out", observer: observer, cancellationToken: cancel.Token);

        Assert.True(outcome.Cancelled);
        Assert.True(observer.Fired);
        Assert.Equal(CountryAction.Cancelled, outcome.Results[0].Action);
        Assert.All(outcome.Results.Skip(1), r => Assert.Equal(CountryAction.NotRun, r.Action));
        Assert.All(outcome.Summary.Rows, r => Assert.Equal(BatchStatus.NotRun, r.Status));
        // Nothing of the interrupted country: no folder, no staging folder, no temporary folder.
        Assert.Equal(["batch_log.json", "batch_summary.csv", "batch_summary.json"],
            Directory.EnumerateFileSystemEntries(_box.In("out"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_interrupted_rerun_keeps_the_previous_result_and_resume_then_finishes_the_batch()
    {
        _box.Run("out");
        Dictionary<string, string> before = BatchSandbox.Snapshot(_box.In("out", "AAA"));
        File.AppendAllText(_box.In("aaa", "country.yaml"), "\ncredits: [ changed ]\n");
        using var cancel = new CancellationTokenSource();

        BatchOutcome stopped = _box.Run("out", resume: true, observer: new CancelAt(cancel, RunStage.Outputs, 0), cancellationToken: cancel.Token);

        Assert.True(stopped.Results[0].Action == CountryAction.Cancelled, $"{stopped.Results[0].Action}: {stopped.Results[0].Error}");
        Assert.Equal(before, BatchSandbox.Snapshot(_box.In("out", "AAA")));
        BatchOutcome resumed = _box.Run("out", resume: true);
        Assert.Equal([CountryAction.Ran, CountryAction.Reused, CountryAction.Reused, CountryAction.Reused], resumed.Results.Select(r => r.Action));
        Assert.Equal("the country's description changed", resumed.Results[0].Reason);
    }

    [Fact]
    public void Leftovers_of_a_killed_batch_are_removed_by_the_next_one()
    {
        _box.Run("out");
        // What a SIGKILL in the middle of a country leaves: its staging folder (with the engine's temporary folder in it).
        string staging = _box.In("out", ".ewcm-staging-BBB-0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(Path.Combine(staging, ".BBB.tmp-1-abc"));
        File.WriteAllText(Path.Combine(staging, ".BBB.tmp-1-abc", "summary.json"), "{ half");
        Directory.CreateDirectory(_box.In("out", ".ewcm-old-CCC-0123456789abcdef0123456789abcdef"));

        BatchOutcome outcome = _box.Run("out", resume: true);

        Assert.All(outcome.Results, r => Assert.Equal(CountryAction.Reused, r.Action));
        Assert.DoesNotContain(Directory.EnumerateDirectories(_box.In("out")), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void A_second_batch_on_the_same_folder_is_refused_while_the_first_runs()
    {
        using var cancel = new CancellationTokenSource();
        Exception? second = null;
        var observer = new Callback(() => second ??= Record.Exception(() => _box.Run("out")));

        _box.Run("out", observer: observer, cancellationToken: cancel.Token);

        var e = Assert.IsType<InputException>(second);
        Assert.Contains("another `ewcm batch` or `ewcm merge` is writing to this folder", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_box.In("out", ".ewcm-batch.lock")));
    }

    [Fact]
    public void Parallel_countries_share_the_threads_and_give_the_same_summary()
    {
        BatchOutcome one = _box.Run("one", parallel: 1);
        BatchOutcome two = _box.Run("two", parallel: 2);

        Assert.Equal((1, 2), (one.Plan.Parallel, one.Plan.ThreadsPerCountry));
        Assert.Equal((2, 1), (two.Plan.Parallel, two.Plan.ThreadsPerCountry));
        Assert.Equal(File.ReadAllBytes(_box.In("one", BatchSummary.CsvName)), File.ReadAllBytes(_box.In("two", BatchSummary.CsvName)));
        Assert.Equal(File.ReadAllBytes(_box.In("one", BatchSummary.JsonName)), File.ReadAllBytes(_box.In("two", BatchSummary.JsonName)));
    }

    [Fact]
    public void Plain_progress_is_one_timestamped_line_per_event()
    {
        File.WriteAllBytes(_box.In("ccc", "pop.tif"), [1, 2, 3, 4]);
        using var text = new StringWriter(CultureInfo.InvariantCulture);

        _box.Run("out", observer: new PlainProgressWriter(text));

        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(TimestampedLine(), l));
        Assert.Matches(@"^\S+ batch   4 countries of manifest\.yaml, 1 at a time with 2 thread\(s\) each; output ", lines[0]);
        Assert.Contains(lines, l => l.Contains(" AAA     started", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" AAA     overlay   40 %", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" AAA     outputs   95 %", StringComparison.Ordinal));
        Assert.Contains(lines, l => Regex.IsMatch(l, @" AAA     ok in \d+\.\d s: [\d,]+ people, at least 2G [\d.]+ %, uncovered [\d,]+$"));
        Assert.Contains(lines, l => l.Contains(" CCC     FAILED after ", StringComparison.Ordinal) && l.Contains("ccc/pop.tif", StringComparison.Ordinal));
        Assert.Contains(lines, l => Regex.IsMatch(l, @" overall 4 of 4 countries done \(1 failed\), 100 %, elapsed \d+:\d\d"));
        Assert.Matches(@" batch   finished in [\d.]+ s: 3 run, 0 reused, 1 failed, 0 not run; [\d.]+ countries per minute$", lines[^1]);
    }

    [Fact]
    public void Shards_run_only_their_countries_and_say_so_in_the_summary()
    {
        // Input sizes AAA > BBB > DDD > CCC: the largest first, each to the least loaded shard.
        Assert.Equal(["AAA", "BBB", "DDD", "CCC"], _box.Manifest().Entries.OrderByDescending(e => e.InputBytes).Select(e => e.Id));
        string[][] expected = [["AAA"], ["BBB"], ["CCC", "DDD"]];
        for (int k = 1; k <= 3; k++)
        {
            BatchOutcome outcome = _box.Run($"shard-{k}", shard: new ShardSpec(k, 3));

            Assert.Equal(expected[k - 1], outcome.Summary.Rows.Select(r => r.Id));
            Assert.Equal(expected[k - 1], Directory.GetDirectories(_box.In($"shard-{k}")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(new ShardSpec(k, 3), outcome.Summary.Shard!.Spec);
            Assert.Equal(["AAA", "BBB", "CCC", "DDD"], outcome.Summary.Shard.ManifestIds);
        }
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \S+ +\S")]
    private static partial Regex TimestampedLine();

    /// <summary>Cancels the batch when the first country reaches a stage and fraction.</summary>
    private sealed class CancelAt(CancellationTokenSource cancel, RunStage stage, double fraction) : IBatchObserver
    {
        public bool Fired { get; private set; }

        public void BatchStarted(BatchPlan plan) { }

        public void CountryStarted(BatchEntry entry) { }

        public void CountryProgress(BatchEntry entry, RunProgress progress)
        {
            if (progress.Stage == stage && progress.Fraction >= fraction && !Fired)
            {
                Fired = true;
                cancel.Cancel();
            }
        }

        public void CountryFinished(CountryResult result) { }

        public void BatchFinished(BatchOutcome outcome) { }
    }

    /// <summary>Calls an action when the first country starts.</summary>
    private sealed class Callback(Action action) : IBatchObserver
    {
        public void BatchStarted(BatchPlan plan) { }

        public void CountryStarted(BatchEntry entry) => action();

        public void CountryProgress(BatchEntry entry, RunProgress progress) { }

        public void CountryFinished(CountryResult result) { }

        public void BatchFinished(BatchOutcome outcome) { }
    }
}
