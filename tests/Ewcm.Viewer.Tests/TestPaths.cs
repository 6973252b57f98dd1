namespace Ewcm.Viewer.Tests;

/// <summary>Locations of the repository's data and of the test artifacts.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Sample(params string[] parts) => Path.Combine([RepositoryRoot, "data", "samples", .. parts]);

    /// <summary>Where screenshots go (beside the test assembly, so each configuration keeps its own).</summary>
    public static string Artifacts
    {
        get
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Ewcm.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Ewcm.sln not found above " + AppContext.BaseDirectory);
    }
}
