using System.Globalization;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Batch;

/// <summary>
/// Batch progress as plain, timestamped lines (UTC, ISO 8601), for logs and terminals that are not
/// one (CI, files, `kubectl logs`): the start of each stage of each country, the overlay at each
/// quarter, each country's end with its figures or error, and the overall estimate after each country.
/// </summary>
/// <example>2025-11-22T08:50:03Z SLE     overlay   68 %</example>
public sealed class PlainProgressWriter : IBatchObserver
{
    private readonly Lock _gate = new();
    private readonly TextWriter _out;
    private readonly TimeProvider _clock;
    private readonly Dictionary<BatchEntry, (RunStage Stage, int Quarter)> _last = [];
    private BatchProgress? _progress;
    private int _width = 7;

    public PlainProgressWriter(TextWriter output, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _out = output;
        _clock = clock ?? TimeProvider.System;
    }

    public void BatchStarted(BatchPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_gate)
        {
            _progress = new BatchProgress(plan, _clock);
            _width = Math.Max(7, plan.Countries.Count == 0 ? 0 : plan.Countries.Max(c => c.Id.Length));
            string shard = plan.Shard is ShardSpec s ? $" (shard {s}: {plan.Countries.Count} of {plan.ManifestCount})" : string.Empty;
            Line("batch", string.Create(CultureInfo.InvariantCulture,
                $"{plan.Countries.Count} {(plan.Countries.Count == 1 ? "country" : "countries")} of {Path.GetFileName(plan.ManifestPath)}{shard}, {plan.Parallel} at a time with {plan.ThreadsPerCountry} thread(s) each{(plan.Resume ? ", resuming" : string.Empty)}; output {plan.OutputRoot}"));
        }
    }

    public void CountryStarted(BatchEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            Line(entry.Id, "started");
        }
    }

    public void CountryProgress(BatchEntry entry, RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_progress is null || progress.Stage == RunStage.Done)
            {
                return;
            }

            double fraction = _progress.Report(entry, progress);
            int quarter = progress.Stage == RunStage.Overlay ? (int)Math.Floor(Math.Clamp(progress.Fraction, 0, 1) * 4) : 0;
            bool known = _last.TryGetValue(entry, out var last);
            if (known && last.Stage == progress.Stage && (quarter <= last.Quarter || quarter >= 4))
            {
                return;
            }

            _last[entry] = (progress.Stage, quarter);
            Line(entry.Id, string.Create(CultureInfo.InvariantCulture, $"{Stage(progress.Stage),-8} {100 * fraction,3:F0} %"));
        }
    }

    public void CountryFinished(CountryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            _progress?.Finish(result);
            BatchRow r = result.Row;
            string text = result.Action switch
            {
                CountryAction.Ran => string.Create(CultureInfo.InvariantCulture,
                    $"ok in {result.Seconds:F1} s: {r.Population:N0} people, at least 2G {r.PctCovered[0]:F1} %, uncovered {r.Uncovered:N0}{(result.Reason is null ? string.Empty : $" (run again: {result.Reason})")}"),
                CountryAction.Reused => $"reused: {result.Reason}",
                CountryAction.Failed => string.Create(CultureInfo.InvariantCulture, $"FAILED after {result.Seconds:F1} s: {result.Error}"),
                CountryAction.Cancelled => "interrupted: nothing kept",
                _ => "not run",
            };
            Line(result.Entry.Id, text);
            if (_progress is not null && result.Action is not (CountryAction.NotRun or CountryAction.Cancelled))
            {
                TimeSpan? left = _progress.Remaining;
                Line("overall", string.Create(CultureInfo.InvariantCulture,
                    $"{_progress.Done} of {_progress.Plan.Countries.Count} {(_progress.Plan.Countries.Count == 1 ? "country" : "countries")} done ({_progress.Failed} failed), {100 * _progress.Overall:F0} %, elapsed {BatchProgress.Clock(_progress.Elapsed)}{(left is TimeSpan l ? $", about {BatchProgress.Clock(l)} left" : string.Empty)}"));
            }
        }
    }

    public void BatchFinished(BatchOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            int ran = outcome.Results.Count(r => r.Action == CountryAction.Ran);
            int reused = outcome.Results.Count(r => r.Action == CountryAction.Reused);
            int failed = outcome.Results.Count(r => r.Action == CountryAction.Failed);
            int notRun = outcome.Results.Count(r => r.Action is CountryAction.Cancelled or CountryAction.NotRun);
            Line("batch", string.Create(CultureInfo.InvariantCulture,
                $"{(outcome.Cancelled ? "stopped" : "finished")} in {outcome.WallSeconds:F1} s: {ran} run, {reused} reused, {failed} failed, {notRun} not run; {outcome.CountriesPerMinute:F1} countries per minute"));
        }
    }

    /// <summary>A line of the batch's own (e.g. "Ctrl-C: stopping"), timestamped like the others.</summary>
    public void Note(string text)
    {
        lock (_gate)
        {
            Line("batch", text);
        }
    }

    private static string Stage(RunStage stage) => stage switch
    {
        RunStage.Inputs => "inputs",
        RunStage.Overlay => "overlay",
        RunStage.Outputs => "outputs",
        _ => "done",
    };

    private void Line(string who, string text)
    {
        string stamp = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        _out.WriteLine($"{stamp} {who.PadRight(_width)} {text}");
        _out.Flush();
    }
}
