using System.Text.RegularExpressions;

namespace Ewcm.Viewer.Server;

/// <summary>
/// Maps a requested file name to a file of a run folder, or refuses. Run folders are flat, so only a
/// plain file name is accepted (no separator, no '..', no percent sign, no drive or absolute path),
/// only the kinds of file a run writes, and a symbolic link only when its final target is inside the
/// same folder. This is the only way a request reaches the disk.
/// </summary>
public static partial class RunFileResolver
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".json"] = "application/json; charset=utf-8",
        [".geojson"] = "application/geo+json; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
    };

    /// <summary>The full path and content type of <paramref name="name"/> in <paramref name="run"/>, or null when it may not be served.</summary>
    public static (string Path, string ContentType)? Resolve(RunFolder run, string? name)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (name is null || !PlainFileName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal)
            || !ContentTypes.TryGetValue(Path.GetExtension(name), out string? type))
        {
            return null;
        }

        string folder = Path.GetFullPath(run.Path);
        var file = new FileInfo(Path.Combine(folder, name));
        if (!file.Exists)
        {
            return null;
        }

        if (file.LinkTarget is not null)
        {
            FileSystemInfo? target = file.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists || !IsDirectlyIn(target.FullName, folder))
            {
                return null;
            }
        }

        return (file.FullName, type);
    }

    /// <summary>True when <paramref name="path"/> is a file of <paramref name="folder"/> itself (the folder may be a link).</summary>
    private static bool IsDirectlyIn(string path, string folder)
    {
        string parent = Path.GetDirectoryName(path) ?? "";
        string real = new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder;
        return string.Equals(parent, Path.TrimEndingDirectorySeparator(folder), StringComparison.Ordinal)
            || string.Equals(parent, Path.TrimEndingDirectorySeparator(real), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")]
    private static partial Regex PlainFileName();
}
