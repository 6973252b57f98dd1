using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ewcm.Viewer.Server;

/// <summary>One run folder served: an `ewcm run` output (`out/SLE/`), or a country folder of a batch.</summary>
/// <param name="Id">The run's name in URLs (`/runs/{Id}/summary.json`): letters, digits, '-' and '_'.</param>
/// <param name="Path">The folder's full path.</param>
/// <param name="Name">The country name from summary.json (or the folder name; <see cref="RunCatalog.Find"/> reads no summary and gives the id).</param>
/// <param name="Iso3">The ISO3 code from summary.json (or empty).</param>
public sealed record RunFolder(string Id, string Path, string Name, string Iso3);

/// <summary>
/// The run folders under the folders given on the command line. Each given folder is a run (it holds
/// summary.json) or holds runs one level down (an `ewcm run --out` or `ewcm batch --out` folder).
/// Found again on each listing, so a batch that finishes while the viewer is open shows up.
/// </summary>
public sealed partial class RunCatalog
{
    private readonly IReadOnlyList<string> _roots;

    /// <summary>Checks that every folder exists and holds at least one run.</summary>
    /// <exception cref="ViewerException">A folder is missing or holds no run.</exception>
    public RunCatalog(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        _roots = [.. roots.Select(r => System.IO.Path.GetFullPath(r))];
        if (_roots.Count == 0)
        {
            throw new ViewerException("No folder to serve: give the --out folder of `ewcm run` or `ewcm batch`.");
        }

        foreach (string root in _roots)
        {
            if (!Directory.Exists(root))
            {
                throw new ViewerException($"{root}: no such folder. Give the --out folder of `ewcm run` or `ewcm batch` (e.g. out).");
            }

            if (!RunFoldersUnder(root).Any())
            {
                throw new ViewerException($"{root}: no run found (no summary.json in it or in its subfolders). Run `ewcm run country.yaml --out {root}` first, or give the folder it wrote.");
            }
        }
    }

    /// <summary>The runs, in the order of the folders given, then by folder name; ids are unique.</summary>
    public IReadOnlyList<RunFolder> List() =>
        [.. Folders().Select(f => ReadTitle(f.Id, f.Path))];

    /// <summary>The run named <paramref name="id"/>, or null (reads no file: called for every range request).</summary>
    public RunFolder? Find(string id) =>
        Folders().Where(f => string.Equals(f.Id, id, StringComparison.Ordinal)).Select(f => new RunFolder(f.Id, f.Path, f.Id, "")).FirstOrDefault();

    private List<(string Id, string Path)> Folders()
    {
        var folders = new List<(string, string)>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string folder in _roots.SelectMany(RunFoldersUnder))
        {
            string stem = UnsafeIdChars().Replace(System.IO.Path.GetFileName(folder), "_");
            stem = stem.Length == 0 ? "run" : stem;
            string id = stem;
            for (int n = 2; !ids.Add(id); n++)
            {
                id = $"{stem}-{n}";
            }

            folders.Add((id, folder));
        }

        return folders;
    }

    private static IEnumerable<string> RunFoldersUnder(string root)
    {
        if (File.Exists(System.IO.Path.Combine(root, "summary.json")))
        {
            return [root];
        }

        // Hidden folders are a run's temporary or replaced outputs (OutputFolder): never served.
        return Directory.EnumerateDirectories(root)
            .Where(d => !System.IO.Path.GetFileName(d).StartsWith('.') && File.Exists(System.IO.Path.Combine(d, "summary.json")))
            .Order(StringComparer.Ordinal);
    }

    private static RunFolder ReadTitle(string id, string folder)
    {
        string fallback = System.IO.Path.GetFileName(folder);
        try
        {
            using FileStream s = File.OpenRead(System.IO.Path.Combine(folder, "summary.json"));
            using JsonDocument doc = JsonDocument.Parse(s);
            string iso3 = doc.RootElement.TryGetProperty("iso3", out JsonElement i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : "";
            string name = doc.RootElement.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : fallback;
            return new RunFolder(id, folder, name, iso3);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // The page reports a broken summary.json when it loads the run; the list still shows the folder.
            return new RunFolder(id, folder, fallback, "");
        }
    }

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex UnsafeIdChars();
}
