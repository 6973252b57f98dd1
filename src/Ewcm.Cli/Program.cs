using System.CommandLine;
using Ewcm.Cli.Commands;

namespace Ewcm.Cli;

/// <summary>The `ewcm` command: argument parsing only; the work is in Ewcm.Engine.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Ewcm: early-warning connectivity maps. Who cannot be reached by a mobile alert, and where are they?")
        {
            RunCommand.Create(),
            BatchCommand.Create(),
            MergeCommand.Create(),
            FloorCommand.Create(),
            Ewcm.Viewer.ServeCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
