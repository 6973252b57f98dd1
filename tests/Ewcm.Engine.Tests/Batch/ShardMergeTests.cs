using Ewcm.Engine.Batch;
using Ewcm.Engine.Diagnostics;

namespace Ewcm.Engine.Tests.Batch;

/// <summary>--shard K/N picks a deterministic, balanced subset; `ewcm merge` of all shards gives exactly one whole run.</summary>
public sealed class ShardMergeTests : IDisposable
{
    private readonly BatchSandbox _box = BatchSandbox.FourCountries();

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Shard_assignment_is_deterministic_complete_and_balanced_by_size()
    {
        long[] sizes = [120, 5, 300, 80, 80, 44, 300, 9, 150, 61, 2, 77, 18, 230, 95];
        for (int n = 1; n <= 6; n++)
        {
            IReadOnlyList<int>[] shards = ShardSpec.Assign(sizes, n);

            Assert.Equal(n, shards.Length);
            Assert.Equal(Enumerable.Range(0, sizes.Length), shards.SelectMany(s => s).Order());
            Assert.All(shards, s => Assert.Equal(s.Order(), s));
            long[] totals = [.. shards.Select(s => s.Sum(i => sizes[i]))];
            Assert.True(totals.Max() - totals.Min() <= sizes.Max(), $"{n} shards: totals {string.Join(", ", totals)}");
            Assert.Equal(shards.Select(s => string.Join(",", s)), ShardSpec.Assign(sizes, n).Select(s => string.Join(",", s)));
        }

        // Largest first, each to the least loaded shard (ties: the lower item, then the lower shard):
        // 2→1, 6→2, 13→3, 8→3, 0→1, 14→2, 3→3, 4→2, 11→1, 9→3, 5→2, 12→1, 7→1, 1→2, 10→3; totals 524, 524, 523.
        Assert.Equal([[0, 2, 7, 11, 12], [1, 4, 5, 6, 14], [3, 8, 9, 10, 13]], ShardSpec.Assign(sizes, 3).Select(s => s.ToArray()));
        Assert.Equal([[0], [1], []], ShardSpec.Assign([7, 7], 3).Select(s => s.ToArray()));
    }

    [Theory]
    [InlineData("1/3", 1, 3)]
    [InlineData("3/3", 3, 3)]
    [InlineData("1/1", 1, 1)]
    public void Shard_specs_parse(string text, int k, int n) => Assert.Equal(new ShardSpec(k, n), ShardSpec.Parse(text));

    [Theory]
    [InlineData("0/3")]
    [InlineData("4/3")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/2")]
    [InlineData("1/3/4")]
    public void Wrong_shard_specs_are_refused_with_the_form(string text)
    {
        var e = Assert.Throws<InputException>(() => ShardSpec.Parse(text));
        Assert.Contains($"--shard '{text}' is not K/N with 1 ≤ K ≤ N", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Three_shards_merged_equal_one_whole_run_byte_for_byte()
    {
        // One country fails, so that failed rows merge too.
        File.WriteAllText(_box.In("ccc", "country.yaml"), "iso3: CCC\nname: Broken\n");
        BatchOutcome whole = _box.Run("whole", parallel: 2);
        for (int k = 1; k <= 3; k++)
        {
            _box.Run($"shard-{k}", shard: new ShardSpec(k, 3));
        }

        BatchSummary merged = BatchMerge.Run([_box.In("shard-3"), _box.In("shard-1"), _box.In("shard-2")], _box.In("merged"));

        Assert.Equal(BatchStatus.Failed, whole.Summary.Rows[2].Status);
        Assert.Equal(whole.Summary.ToJson(), merged.ToJson());
        Dictionary<string, string> one = BatchSandbox.Snapshot(_box.In("whole"));
        Dictionary<string, string> all = BatchSandbox.Snapshot(_box.In("merged"));
        Assert.Equal(one.Keys.Order(StringComparer.Ordinal), all.Keys.Order(StringComparer.Ordinal));
        // Every file but the logs (timings) and the fingerprints (which hash run_log.json) is identical.
        foreach (string file in one.Keys.Where(f => !f.EndsWith("_log.json", StringComparison.Ordinal) && !f.EndsWith(BatchFingerprint.FileName, StringComparison.Ordinal)))
        {
            Assert.True(one[file] == all[file], $"{file} differs between the whole run and the merged shards");
        }

        Assert.Contains(BatchSummary.CsvName, one.Keys);
        Assert.Contains("AAA/admin_stats.csv", one.Keys);
    }

    [Fact]
    public void Merging_again_keeps_what_is_in_place()
    {
        for (int k = 1; k <= 2; k++)
        {
            _box.Run($"shard-{k}", shard: new ShardSpec(k, 2));
        }

        var lines = new List<string>();
        BatchMerge.Run([_box.In("shard-1"), _box.In("shard-2")], _box.In("merged"), lines.Add);
        BatchMerge.Run([_box.In("shard-1"), _box.In("shard-2")], _box.In("merged"), lines.Add);

        Assert.Equal(4, lines.Count(l => l.Contains(": copied from ", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(l => l.EndsWith(": already in place", StringComparison.Ordinal)));
    }

    [Fact]
    public void Merge_refuses_incomplete_duplicated_foreign_or_whole_inputs()
    {
        for (int k = 1; k <= 3; k++)
        {
            _box.Run($"shard-{k}", shard: new ShardSpec(k, 3));
        }

        _box.Run("whole");

        string Error(params string[] folders) =>
            Assert.IsType<InputException>(Record.Exception(() => BatchMerge.Run([.. folders.Select(f => _box.In(f))], _box.In("merged")))).Message;

        Assert.Equal("shard(s) 2/3 missing; merge needs the folders of all 3 shards.", Error("shard-1", "shard-3"));
        Assert.StartsWith("shard 1/3 is given twice: ", Error("shard-1", "shard-1", "shard-2", "shard-3"), StringComparison.Ordinal);
        Assert.Contains("the summary of a whole batch, not of a shard", Error("shard-1", "whole"), StringComparison.Ordinal);
        Assert.Contains("no batch_summary.json; give the --out folder of an `ewcm batch --shard K/N` run", Error("shard-1", "nowhere"), StringComparison.Ordinal);
        Assert.Contains("is one of the shard folders", Assert.IsType<InputException>(Record.Exception(
            () => BatchMerge.Run([_box.In("shard-1"), _box.In("shard-2"), _box.In("shard-3")], _box.In("shard-2")))).Message, StringComparison.Ordinal);

        _box.WriteManifest(File.ReadAllText(_box.ManifestPath) + "\n# another version\n");
        _box.Run("other-2", shard: new ShardSpec(2, 3));
        Assert.Contains("ran another manifest (or another version of it)", Error("shard-1", "other-2", "shard-3"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_box.In("merged")));
    }
}
