using System.CommandLine;
using Ewcm.Cli.Commands;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Cli;

/// <summary>The `ewcm` command: argument parsing only; the work is in Ewcm.Engine.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["run" or "floor" or "batch", ..])
        {
            // GDAL takes 0.1-0.2 s to load (its libraries and drivers): loaded while the arguments and
            // country.yaml are read.
            GdalWarmUp.Start();
        }

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
