using System.CommandLine;
using Ewcm.Viewer.Server;

namespace Ewcm.Viewer;

/// <summary>`ewcm serve [DIR...] [--port N] [--lan]`: the viewer, shared by the `ewcm` command and `dotnet run --project src/Ewcm.Viewer`.</summary>
public static class ServeCommand
{
    private const int InputError = 2;

    /// <summary>The `serve` subcommand of `ewcm`.</summary>
    public static Command Create() => Configure(new Command("serve", Description));

    /// <summary>Adds the arguments, options and action of `serve` to <paramref name="command"/> (a root command for the viewer's own program).</summary>
    public static T Configure<T>(T command) where T : Command
    {
        ArgumentNullException.ThrowIfNull(command);
        var folders = new Argument<DirectoryInfo[]>("DIR")
        {
            Description = "The --out folders of `ewcm run` or `ewcm batch` (default: out).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var port = new Option<int>("--port", "-p")
        {
            Description = "TCP port (0 picks a free one).",
            DefaultValueFactory = _ => ViewerOptions.DefaultPort,
        };
        var lan = new Option<bool>("--lan") { Description = "Listen on every network interface so workshop participants can open the map; prints the address to share." };
        command.Add(folders);
        command.Add(port);
        command.Add(lan);
        command.SetAction((parse, cancel) =>
        {
            DirectoryInfo[] given = parse.GetValue(folders) ?? [];
            string[] paths = given.Length == 0 ? ["out"] : [.. given.Select(d => d.FullName)];
            return ExecuteAsync(new ViewerOptions(paths, parse.GetValue(port), parse.GetValue(lan)), cancel);
        });
        return command;
    }

    private static string Description =>
        "Open the results in a web map: run folders served read-only on this machine (or the local network with --lan).";

    private static async Task<int> ExecuteAsync(ViewerOptions options, CancellationToken cancel)
    {
        if (options.Port is < 0 or > 65535)
        {
            await Console.Error.WriteLineAsync($"error: --port must be between 0 and 65535, not {options.Port}.").ConfigureAwait(false);
            return InputError;
        }

        ViewerServer server;
        try
        {
            server = await ViewerServer.StartAsync(options, cancel).ConfigureAwait(false);
        }
        catch (ViewerException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return InputError;
        }

        await using (server.ConfigureAwait(false))
        {
            IReadOnlyList<RunFolder> runs = server.Catalog.List();
            Console.WriteLine($"Serving {runs.Count} run(s) read-only: {string.Join(", ", runs.Select(r => r.Id))}");
            Console.WriteLine($"Open {server.LocalUrl}");
            if (options.Lan)
            {
                IReadOnlyList<Uri> share = server.LanUrls();
                Console.WriteLine(share.Count == 0
                    ? "--lan: listening on every interface, but this machine has no network address other than loopback."
                    : $"Share on the workshop network: {string.Join("  ", share)}");
                Console.WriteLine("Anyone on this network can open the map (read-only).");
            }

            Console.WriteLine("Press Ctrl+C to stop.");
            try
            {
                await server.WaitAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: a normal stop.
            }
        }

        return 0;
    }
}
