namespace Ewcm.Engine.Tests;

/// <summary>Locations of the repository's data, found from the test assembly's folder.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Data(params string[] parts) => Path.Combine([RepositoryRoot, "tests", "data", .. parts]);

    public static string Sample(params string[] parts) => Path.Combine([RepositoryRoot, "data", "samples", .. parts]);

    /// <summary>A fresh folder under the system temp folder; delete it with <see cref="TempFolder.Dispose"/>.</summary>
    public static TempFolder NewTempFolder() => new();

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

internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ewcm-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
