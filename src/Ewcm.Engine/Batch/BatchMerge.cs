using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ewcm.Engine.Diagnostics;

namespace Ewcm.Engine.Batch;

/// <summary>
/// `ewcm merge SHARD_DIR... --out DIR`: combines the folders of the N shards of one manifest (`ewcm batch
/// --shard K/N`) into the folder one whole run gives: every country folder, and batch_summary.csv/.json
/// byte for byte as a whole run writes them. batch_log.json lists the shards' logs.
/// </summary>
public static class BatchMerge
{
    private static readonly JsonSerializerOptions LogJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Checks that the shards belong together and are complete, copies the country folders, writes the summary.</summary>
    /// <param name="shardFolders">The --out folders of the shard runs, in any order.</param>
    /// <param name="outputRoot">The merged folder (not one of the shards').</param>
    /// <param name="log">Receives one line per country copied or kept.</param>
    public static BatchSummary Run(IReadOnlyList<string> shardFolders, string outputRoot, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(shardFolders);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        if (shardFolders.Count == 0)
        {
            throw new InputException("give the output folders of the shard runs, e.g. ewcm merge out/shard-1 out/shard-2 out/shard-3 --out out/all");
        }

        string root = Path.GetFullPath(outputRoot);
        var shards = new List<(string Folder, BatchSummary Summary)>();
        foreach (string folder in shardFolders.Select(Path.GetFullPath))
        {
            if (PathsEqual(folder, root))
            {
                throw new InputException($"--out {outputRoot} is one of the shard folders; merge into a new folder (e.g. out/all).");
            }

            string file = Path.Combine(folder, BatchSummary.JsonName);
            if (!File.Exists(file))
            {
                throw new InputException($"{folder}: no {BatchSummary.JsonName}; give the --out folder of an `ewcm batch --shard K/N` run (it may not have finished).");
            }

            BatchSummary summary = BatchSummary.Read(file);
            if (summary.Shard is null)
            {
                throw new InputException($"{file}: the summary of a whole batch, not of a shard; merge combines the outputs of `ewcm batch --shard K/N` runs.");
            }

            shards.Add((folder, summary));
        }

        ShardInfo first = shards[0].Summary.Shard!;
        BatchSummary reference = shards[0].Summary;
        foreach ((string folder, BatchSummary s) in shards)
        {
            if (s.ManifestSha256 != reference.ManifestSha256 || !s.Shard!.ManifestIds.SequenceEqual(first.ManifestIds, StringComparer.Ordinal))
            {
                throw new InputException($"{folder}: ran another manifest (or another version of it) than {shards[0].Folder}; every shard must run the same manifest.yaml.");
            }

            if (s.EwcmVersion != reference.EwcmVersion)
            {
                throw new InputException($"{folder}: ran ewcm {s.EwcmVersion}, {shards[0].Folder} ran {reference.EwcmVersion}; run every shard with the same version.");
            }

            if (s.Shard.Spec.Count != first.Spec.Count)
            {
                throw new InputException($"{folder}: is shard {s.Shard.Spec}, {shards[0].Folder} is shard {first.Spec}; every shard must split the manifest in the same number of parts.");
            }
        }

        var byIndex = shards.GroupBy(s => s.Summary.Shard!.Spec.Index).ToList();
        if (byIndex.FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InputException($"shard {twice.Key}/{first.Spec.Count} is given twice: {string.Join(" and ", twice.Select(s => s.Folder))}.");
        }

        int[] missing = [.. Enumerable.Range(1, first.Spec.Count).Where(k => byIndex.All(g => g.Key != k))];
        if (missing.Length > 0)
        {
            throw new InputException($"shard(s) {string.Join(", ", missing.Select(k => $"{k}/{first.Spec.Count}"))} missing; merge needs the folders of all {first.Spec.Count} shards.");
        }

        var rows = new Dictionary<string, (BatchRow Row, string Folder)>(StringComparer.Ordinal);
        foreach ((string folder, BatchSummary s) in shards)
        {
            foreach (BatchRow row in s.Rows)
            {
                if (!rows.TryAdd(row.Id, (row, folder)))
                {
                    throw new InputException($"{row.Id} is in {rows[row.Id].Folder} and in {folder}; the shards overlap (were they run with the same input files?).");
                }
            }
        }

        string[] absent = [.. first.ManifestIds.Where(id => !rows.ContainsKey(id))];
        if (absent.Length > 0)
        {
            throw new InputException($"{string.Join(", ", absent)} in no shard's summary; the shards do not cover the manifest (were they run with the same input files?).");
        }

        Directory.CreateDirectory(root);
        using FileStream gate = BatchRunner.Lock(root);
        BatchRunner.RemoveLeftovers(root);
        foreach (string id in first.ManifestIds)
        {
            (BatchRow row, string folder) = rows[id];
            if (row.Status == BatchStatus.Ok)
            {
                CopyCountry(Path.Combine(folder, id), root, id, log);
            }
        }

        var merged = new BatchSummary(reference.ManifestName, reference.ManifestSha256, reference.EwcmVersion, null,
            [.. first.ManifestIds.Select(id => rows[id].Row)]);
        merged.WriteTo(root);
        WriteLog(root, shards);
        return merged;
    }

    /// <summary>Copies a country folder into place atomically; an identical one already there is kept.</summary>
    private static void CopyCountry(string source, string root, string id, Action<string>? log)
    {
        string final = Path.Combine(root, id);
        string sourcePrint = Path.Combine(source, BatchFingerprint.FileName);
        string finalPrint = Path.Combine(final, BatchFingerprint.FileName);
        if (!File.Exists(sourcePrint))
        {
            throw new InputException($"{source}: missing or incomplete ({BatchFingerprint.FileName} not found); run that shard again with --resume.");
        }

        if (File.Exists(finalPrint) && File.ReadAllBytes(finalPrint).AsSpan().SequenceEqual(File.ReadAllBytes(sourcePrint)))
        {
            log?.Invoke($"{id}: already in place");
            return;
        }

        string staging = Path.Combine(root, $"{BatchRunner.StagingPrefix}{id}-{Guid.NewGuid():N}");
        try
        {
            CopyTree(source, staging);
            BatchRunner.Commit(staging, final, root, id);
            log?.Invoke($"{id}: copied from {source}");
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (string dir in Directory.GetDirectories(source))
        {
            CopyTree(dir, Path.Combine(target, Path.GetFileName(dir)));
        }
    }

    private static void WriteLog(string root, List<(string Folder, BatchSummary Summary)> shards)
    {
        var list = new JsonArray();
        foreach ((string folder, BatchSummary s) in shards.OrderBy(s => s.Summary.Shard!.Spec.Index))
        {
            string path = Path.Combine(folder, BatchRunner.LogName);
            JsonNode? shardLog = null;
            try
            {
                shardLog = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
            }
            catch (JsonException)
            {
                // A damaged log is left out; the summary does not depend on it.
            }

            list.Add(new JsonObject { ["shard"] = s.Shard!.Spec.ToString(), ["folder"] = folder, ["log"] = shardLog });
        }

        var log = new JsonObject
        {
            ["ewcm_version"] = EngineInfo.Version,
            ["merged_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["shards"] = list,
        };
        AtomicFile.Write(Path.Combine(root, BatchRunner.LogName), JsonSerializer.SerializeToUtf8Bytes(log, LogJson));
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
