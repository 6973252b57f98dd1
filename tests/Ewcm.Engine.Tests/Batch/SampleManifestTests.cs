using System.Text.Json;
using Ewcm.Engine.Batch;
using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Batch;

/// <summary>data/samples/manifest.yaml end to end through `ewcm batch`: three entries built from real data.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class SampleManifestTests : IDisposable
{
    private readonly TempFolder _out = TestPaths.NewTempFolder();

    public void Dispose() => _out.Dispose();

    [Fact]
    public void The_sample_batch_runs_end_to_end_and_resumes_without_running_again()
    {
        string manifest = TestPaths.Sample("manifest.yaml");

        CliOutcome run = EwcmCli.Run("batch", manifest, "--out", _out.Path, "--parallel", "2");

        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.Equal(["LBR", "SLE", "SLE-WA", "batch_log.json", "batch_summary.csv", "batch_summary.json"],
            Directory.EnumerateFileSystemEntries(_out.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        BatchSummary summary = BatchSummary.Read(Path.Combine(_out.Path, BatchSummary.JsonName));
        Assert.Equal(["SLE", "LBR", "SLE-WA"], summary.Rows.Select(r => r.Id));
        Assert.All(summary.Rows, r => Assert.Equal(BatchStatus.Ok, r.Status));
        Assert.Equal(["SLE", "LBR", "SLE"], summary.Rows.Select(r => r.Iso3));

        // Sierra Leone: WorldPop's national total (data/samples/sle/README.md); Liberia: density × true cell
        // area, some 4.2 million; the Western Area: the valid cells of its window (data/samples/sle-western-area/README.md).
        Assert.Equal(6_737_136.03, summary.Rows[0].Population!.Value, 0.01);
        Assert.InRange(summary.Rows[1].Population!.Value, 4.0e6, 4.4e6);
        Assert.Equal(1_441_456.24, summary.Rows[2].Population!.Value, 0.01);
        Assert.Equal(644L, summary.Rows[0].BlankZones); // the listed zones of the Sierra Leone sample (SampleBlankZoneTests)
        Assert.All(summary.Rows, r => Assert.NotNull(r.BlankZones));
        foreach (BatchRow r in summary.Rows)
        {
            Assert.True(r.PctCovered[0] >= r.PctCovered[1] && r.PctCovered[1] >= r.PctCovered[2], r.Id);
            Assert.Equal(r.Population!.Value * (100 - r.PctCovered[0]!.Value) / 100, r.Uncovered!.Value, 1e-3 * r.Population.Value);
            Assert.Equal(Path.Combine(_out.Path, r.Id), Path.GetDirectoryName(Directory.GetFiles(Path.Combine(_out.Path, r.Id), "summary.json").Single()));
        }

        Assert.Equal(15, Directory.GetFiles(Path.Combine(_out.Path, "SLE-WA")).Length - 1); // 3 tables, 3 admin_units GeoJSON, 4 rasters, 3 blank-zone files, summary, run log (+ fingerprint)

        CliOutcome resume = EwcmCli.Run("batch", manifest, "--out", _out.Path, "--resume");
        Assert.True(resume.ExitCode == 0 && resume.Says("0 run, 3 reused, 0 failed"), resume.Errors);
        using JsonDocument log = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out.Path, BatchRunner.LogName)));
        Assert.All(log.RootElement.GetProperty("countries").EnumerateArray(), c => Assert.Equal("reused", c.GetProperty("action").GetString()));
    }
}
