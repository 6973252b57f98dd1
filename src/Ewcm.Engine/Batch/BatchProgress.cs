using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Batch;

/// <summary>What happened to one country in this batch.</summary>
public enum CountryAction
{
    /// <summary>Ran now and finished.</summary>
    Ran,

    /// <summary>Skipped by --resume: its folder already held a result of the same inputs and settings.</summary>
    Reused,

    /// <summary>Failed with an error; the others went on.</summary>
    Failed,

    /// <summary>Interrupted (Ctrl-C, SIGTERM): nothing of it was kept.</summary>
    Cancelled,

    /// <summary>Not started before the batch was stopped.</summary>
    NotRun,
}

/// <summary>One country's outcome.</summary>
/// <param name="Entry">The manifest entry.</param>
/// <param name="Action">What happened.</param>
/// <param name="Seconds">Wall time spent on it in this batch.</param>
/// <param name="Error">The full error message of a failure.</param>
/// <param name="Reason">With --resume: why it was reused or run again.</param>
/// <param name="Row">Its row of the batch summary.</param>
public sealed record CountryResult(BatchEntry Entry, CountryAction Action, double Seconds, string? Error, string? Reason, BatchRow Row);

/// <summary>What a batch is about to do.</summary>
/// <param name="ManifestPath">Absolute path of the manifest.</param>
/// <param name="OutputRoot">Absolute output folder.</param>
/// <param name="Countries">The countries of this run (this shard's), in manifest order.</param>
/// <param name="Weights">Input bytes of each (at least 1): the weight of its progress in the overall estimate.</param>
/// <param name="ManifestCount">Countries in the whole manifest.</param>
/// <param name="Parallel">Countries run at once.</param>
/// <param name="ThreadsPerCountry">Threads each country's run gets.</param>
/// <param name="Shard">The shard, if one.</param>
/// <param name="Resume">--resume.</param>
public sealed record BatchPlan(
    string ManifestPath,
    string OutputRoot,
    IReadOnlyList<BatchEntry> Countries,
    IReadOnlyList<long> Weights,
    int ManifestCount,
    int Parallel,
    int ThreadsPerCountry,
    ShardSpec? Shard,
    bool Resume);

/// <summary>What a batch did.</summary>
public sealed record BatchOutcome(BatchPlan Plan, IReadOnlyList<CountryResult> Results, BatchSummary Summary, double WallSeconds, bool Cancelled)
{
    /// <summary>True when a country failed or was not finished: the exit code must say so.</summary>
    public bool AnyFailed => Results.Any(r => r.Action is CountryAction.Failed);

    /// <summary>Countries finished (run or reused) per minute of wall time.</summary>
    public double CountriesPerMinute => WallSeconds > 0 ? 60 * Results.Count(r => r.Action is CountryAction.Ran) / WallSeconds : 0;
}

/// <summary>
/// Receives a batch's events. Country events come from the worker threads (several at once when
/// countries run in parallel); implementations must be thread-safe and quick.
/// </summary>
public interface IBatchObserver
{
    void BatchStarted(BatchPlan plan);

    void CountryStarted(BatchEntry entry);

    void CountryProgress(BatchEntry entry, RunProgress progress);

    void CountryFinished(CountryResult result);

    void BatchFinished(BatchOutcome outcome);
}

/// <summary>
/// Turns stage reports into percentages and an overall estimate (shared by the live display and the
/// plain log). A country's percentage weighs its stages: reading inputs 0–40 %, overlay 40–95 % (by
/// bands done), outputs 95–100 %. The overall percentage weighs countries by input bytes; the time left
/// is extrapolated from the work done in this batch (countries reused by --resume count as no work).
/// </summary>
public sealed class BatchProgress
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BatchEntry, int> _index;
    private readonly double[] _fraction;
    private readonly bool[] _free;
    private readonly long _start;
    private readonly TimeProvider _clock;

    public BatchProgress(BatchPlan plan, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Plan = plan;
        _clock = clock ?? TimeProvider.System;
        _start = _clock.GetTimestamp();
        _index = plan.Countries.Select((e, i) => (e, i)).ToDictionary(p => p.e, p => p.i);
        _fraction = new double[plan.Countries.Count];
        _free = new bool[plan.Countries.Count];
    }

    public BatchPlan Plan { get; }

    public TimeSpan Elapsed => _clock.GetElapsedTime(_start);

    /// <summary>Countries finished: run, reused or failed (not those interrupted or never started).</summary>
    public int Done { get; private set; }

    public int Failed { get; private set; }

    /// <summary>The share of a whole country's work that a stage report stands for.</summary>
    public static double CountryFraction(RunProgress p) => p.Stage switch
    {
        RunStage.Inputs => 0.40 * Math.Clamp(p.Fraction, 0, 1),
        RunStage.Overlay => 0.40 + (0.55 * Math.Clamp(p.Fraction, 0, 1)),
        RunStage.Outputs => 0.95 + (0.05 * Math.Clamp(p.Fraction, 0, 1)),
        _ => 1,
    };

    /// <summary>Records a report; returns the country's fraction done.</summary>
    public double Report(BatchEntry entry, RunProgress progress)
    {
        lock (_gate)
        {
            int i = _index[entry];
            _fraction[i] = Math.Max(_fraction[i], CountryFraction(progress));
            return _fraction[i];
        }
    }

    public void Finish(CountryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            int i = _index[result.Entry];
            _free[i] = result.Action is CountryAction.Reused or CountryAction.NotRun or CountryAction.Cancelled;
            if (result.Action is CountryAction.Ran or CountryAction.Reused or CountryAction.Failed)
            {
                _fraction[i] = 1;
                Done++;
            }

            if (result.Action == CountryAction.Failed)
            {
                Failed++;
            }
        }
    }

    /// <summary>Overall fraction done (0 to 1), weighted by input bytes.</summary>
    public double Overall
    {
        get
        {
            lock (_gate)
            {
                double all = 0, done = 0;
                for (int i = 0; i < _fraction.Length; i++)
                {
                    all += Plan.Weights[i];
                    done += Plan.Weights[i] * _fraction[i];
                }

                return all > 0 ? done / all : 1;
            }
        }
    }

    /// <summary>Estimated time left, or null while too little work is done to tell.</summary>
    public TimeSpan? Remaining
    {
        get
        {
            lock (_gate)
            {
                double all = 0, done = 0;
                for (int i = 0; i < _fraction.Length; i++)
                {
                    if (!_free[i])
                    {
                        all += Plan.Weights[i];
                        done += Plan.Weights[i] * _fraction[i];
                    }
                }

                if (all <= 0 || done >= all)
                {
                    return TimeSpan.Zero;
                }

                double f = done / all;
                return f < 0.02 ? null : TimeSpan.FromSeconds(Elapsed.TotalSeconds * (1 - f) / f);
            }
        }
    }

    /// <summary>"1:05" or "1:02:05".</summary>
    public static string Clock(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
}
