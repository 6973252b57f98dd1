using System.Text.RegularExpressions;
using Ewcm.Engine.Batch;
using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Batch;

/// <summary>`ewcm batch` and `ewcm merge` through the CLI: exit codes, errors, plain progress on stderr.</summary>
[Collection(ConsoleCapture.Name)]
public sealed partial class BatchCliTests : IDisposable
{
    private readonly BatchSandbox _box = BatchSandbox.FourCountries();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void A_failing_country_is_reported_the_others_finish_and_the_exit_code_is_1()
    {
        File.WriteAllText(_box.In("bbb", "country.yaml"), "iso3: BBB\nname: Broken\npopulation: { path: pop.tif, kind: people }\n");

        CliOutcome outcome = EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In("out"), "--parallel", "2");

        Assert.True(outcome.ExitCode == 1, $"exit code {outcome.ExitCode}: {outcome.Errors}");
        Assert.True(outcome.Says($"error: BBB failed: {_box.In("bbb", "country.yaml")}, line 3: population.kind 'people' is not known"), outcome.Errors);
        Assert.Equal(["AAA", "CCC", "DDD"], Directory.GetDirectories(_box.In("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        string[] csv = File.ReadAllLines(_box.In("out", BatchSummary.CsvName));
        Assert.Equal(["ok", "failed", "ok", "ok"], csv.Skip(1).Select(l => l.Split(',')[3]));
    }

    [Fact]
    public void Progress_on_a_non_terminal_is_plain_timestamped_lines()
    {
        CliOutcome outcome = EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In("out"));

        Assert.True(outcome.ExitCode == 0, outcome.Errors);
        // stderr's lines are joined by the capture: each line starts with a UTC timestamp.
        string[] lines = Timestamp().Split(outcome.Errors).Where(l => l.Length > 0).ToArray();
        Assert.Equal(Timestamp().Count(outcome.Errors), lines.Length);
        Assert.True(lines.Length >= 4 * 5, outcome.Errors);
        Assert.Contains(lines, l => l.StartsWith(" AAA     ok in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(" batch   finished in ", StringComparison.Ordinal));
        Assert.DoesNotContain('\x1b', outcome.Errors);
    }

    [Fact]
    public void Resume_through_the_cli_reuses_everything_unchanged()
    {
        Assert.Equal(0, EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In("out")).ExitCode);
        byte[] summary = File.ReadAllBytes(_box.In("out", BatchSummary.JsonName));

        CliOutcome again = EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In("out"), "--resume", "--parallel", "2");

        Assert.True(again.ExitCode == 0, again.Errors);
        Assert.True(again.Says("batch finished in") && again.Says("0 run, 4 reused, 0 failed, 0 not run"), again.Errors);
        Assert.Equal(summary, File.ReadAllBytes(_box.In("out", BatchSummary.JsonName)));
    }

    [Fact]
    public void Manifest_and_option_errors_stop_before_anything_runs_with_exit_code_2()
    {
        (string[] Args, string Message)[] cases =
        [
            (["--shard", "4/3"], "error: --shard '4/3' is not K/N with 1 ≤ K ≤ N"),
            (["--parallel", "-1"], "error: --parallel must be 1 or more"),
            (["--threads", "-2"], "error: --threads must be 0 (every core) or more, not -2."),
        ];
        foreach ((string[] args, string message) in cases)
        {
            CliOutcome outcome = EwcmCli.Run(["batch", _box.ManifestPath, "--out", _box.In("out"), .. args]);
            Assert.True(outcome.ExitCode == 2 && outcome.Says(message), $"{string.Join(' ', args)}: {outcome.ExitCode} {outcome.Errors}");
        }

        _box.WriteManifest("countries:\n  - aaa\n  - { config: aaa, rasterz: true }\n");
        CliOutcome bad = EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In("out"));
        Assert.Equal(2, bad.ExitCode);
        Assert.True(bad.Says($"error: {_box.ManifestPath}, line 3: unknown key 'rasterz' in countries[1]"), bad.Errors);
        Assert.False(Directory.Exists(_box.In("out")));
    }

    [Fact]
    public void Shards_run_and_merge_through_the_cli()
    {
        for (int k = 1; k <= 2; k++)
        {
            CliOutcome shard = EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In($"shard-{k}"), "--shard", $"{k}/2");
            Assert.True(shard.ExitCode == 0, shard.Errors);
        }

        CliOutcome merged = EwcmCli.Run("merge", _box.In("shard-1"), _box.In("shard-2"), "--out", _box.In("all"));
        CliOutcome whole = EwcmCli.Run("batch", _box.ManifestPath, "--out", _box.In("whole"));

        Assert.True(merged.ExitCode == 0, merged.Errors);
        Assert.Equal(File.ReadAllBytes(_box.In("whole", BatchSummary.CsvName)), File.ReadAllBytes(_box.In("all", BatchSummary.CsvName)));
        Assert.Equal(File.ReadAllBytes(_box.In("whole", BatchSummary.JsonName)), File.ReadAllBytes(_box.In("all", BatchSummary.JsonName)));

        CliOutcome incomplete = EwcmCli.Run("merge", _box.In("shard-1"), "--out", _box.In("all-2"));
        Assert.Equal(2, incomplete.ExitCode);
        Assert.True(incomplete.Says("error: shard(s) 2/2 missing; merge needs the folders of all 2 shards."), incomplete.Errors);
        Assert.Equal(0, whole.ExitCode);
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")]
    private static partial Regex Timestamp();
}
