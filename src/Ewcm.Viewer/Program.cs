using System.CommandLine;

namespace Ewcm.Viewer;

/// <summary>`dotnet run --project src/Ewcm.Viewer -- [DIR...] [--port N] [--lan]`: the same as `ewcm serve`.</summary>
public static class Program
{
    public static int Main(string[] args) =>
        ServeCommand.Configure(new RootCommand("Ewcm viewer: " + "the results of `ewcm run` or `ewcm batch` in a web map."))
            .Parse(args).Invoke();
}
