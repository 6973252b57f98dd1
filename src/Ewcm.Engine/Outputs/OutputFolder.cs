namespace Ewcm.Engine.Outputs;

/// <summary>
/// A country's output folder written atomically: everything goes to a hidden temporary sibling, which
/// replaces the final folder only when complete. A failed or interrupted run leaves the previous
/// results (or nothing) in place, never a half-written folder.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private bool _committed;

    private OutputFolder(string finalPath, string tempPath)
    {
        FinalPath = finalPath;
        TempPath = tempPath;
    }

    public string FinalPath { get; }

    /// <summary>Where the files are written until <see cref="Commit"/>.</summary>
    public string TempPath { get; }

    public static OutputFolder Begin(string root, string name)
    {
        string parent = Path.GetFullPath(root);
        Directory.CreateDirectory(parent);
        string final = Path.Combine(parent, name);
        string temp = Path.Combine(parent, $".{name}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        return new OutputFolder(final, temp);
    }

    public string File(string name) => Path.Combine(TempPath, name);

    /// <summary>Moves the finished folder into place (replacing an older result).</summary>
    public void Commit()
    {
        string? old = null;
        if (Directory.Exists(FinalPath))
        {
            old = FinalPath + $".old-{Guid.NewGuid():N}";
            Directory.Move(FinalPath, old);
        }

        Directory.Move(TempPath, FinalPath);
        _committed = true;
        if (old is not null)
        {
            Directory.Delete(old, recursive: true);
        }
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(TempPath))
        {
            Directory.Delete(TempPath, recursive: true);
        }
    }
}
