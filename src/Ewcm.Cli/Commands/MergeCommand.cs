using System.CommandLine;
using Ewcm.Engine.Batch;
using Ewcm.Engine.Diagnostics;

namespace Ewcm.Cli.Commands;

/// <summary>`ewcm merge SHARD_DIR... --out DIR`: the shards of one manifest combined into what one whole batch gives.</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<DirectoryInfo[]>("SHARD_DIR")
        {
            Description = "The --out folders of the `ewcm batch --shard K/N` runs (all N of them).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "The merged folder (a new one, not a shard's).", Required = true, HelpName = "DIR" };
        var command = new Command("merge", "Combine the outputs of `ewcm batch --shard K/N` runs into the folder and summary one whole batch gives.")
        {
            shards, output,
        };
        command.SetAction(parse => Execute(parse.GetValue(shards)!, parse.GetValue(output)!));
        return command;
    }

    private static int Execute(DirectoryInfo[] shards, DirectoryInfo output)
    {
        try
        {
            BatchSummary merged = BatchMerge.Run([.. shards.Select(s => s.FullName)], output.FullName, line => Console.Error.WriteLine(line));
            BatchCommand.PrintTable(merged, null);
            Console.WriteLine($"Merged {shards.Length} shard(s) into {output.FullName}: {merged.Count(BatchStatus.Ok)} ok, {merged.Count(BatchStatus.Failed)} failed, {merged.Count(BatchStatus.NotRun)} not run.");
            return merged.Rows.All(r => r.Status == BatchStatus.Ok) ? ExitCodes.Ok : BatchCommand.SomeFailed;
        }
        catch (Exception e) when (e is EwcmException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }
    }
}
