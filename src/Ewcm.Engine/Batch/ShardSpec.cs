using System.Globalization;
using Ewcm.Engine.Diagnostics;

namespace Ewcm.Engine.Batch;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, as in `--shard 2/3`): a deterministic subset
/// of a manifest's countries, balanced by input size, so that N independent jobs (a Kubernetes Indexed
/// Job, a Slurm job array) together run every country exactly once.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses "K/N" with 1 ≤ K ≤ N.</summary>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && n >= 1 && k >= 1 && k <= n)
        {
            return new ShardSpec(k, n);
        }

        throw new InputException($"--shard '{text}' is not K/N with 1 ≤ K ≤ N (e.g. --shard 2/3 runs the second of three shards; a Kubernetes Indexed Job passes $((JOB_COMPLETION_INDEX + 1))/N).");
    }

    /// <summary>
    /// Splits items of the given sizes into <paramref name="count"/> shards: largest first, each to the
    /// shard with the least total so far (ties: the lower item index, then the lower shard). The result
    /// depends only on the sizes and their order, so every job computes the same split. Each shard's
    /// total differs from any other's by at most the largest size.
    /// </summary>
    /// <returns>For each shard (0-based), the indexes of its items in ascending order.</returns>
    public static IReadOnlyList<int>[] Assign(IReadOnlyList<long> sizes, int count)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var shards = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        var totals = new long[count];
        foreach (int item in Enumerable.Range(0, sizes.Count).OrderByDescending(i => sizes[i]).ThenBy(i => i))
        {
            int best = 0;
            for (int s = 1; s < count; s++)
            {
                if (totals[s] < totals[best])
                {
                    best = s;
                }
            }

            shards[best].Add(item);
            totals[best] += Math.Max(0, sizes[item]);
        }

        return [.. shards.Select(s => (IReadOnlyList<int>)[.. s.Order()])];
    }

    /// <summary>The entries of this shard, in manifest order.</summary>
    public IReadOnlyList<BatchEntry> Select(IReadOnlyList<BatchEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        IReadOnlyList<int>[] shards = Assign([.. entries.Select(e => e.InputBytes)], Count);
        return [.. shards[Index - 1].Select(i => entries[i])];
    }
}
