using System.Security.Cryptography;
using Ewcm.Engine.Tests.Cli;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// A small country in a fresh temp folder, run through the real `ewcm run`: by default a 20 × 20 grid of
/// 0.1° cells (10–12°E, 0–2°N, EPSG:4326), two districts that leave a thin border outside, and 3G
/// coverage of two operators. Tests replace one input or one line of country.yaml, then check that the
/// run either works or is refused cleanly.
/// </summary>
/// <remarks>
/// Two output roots: <see cref="FreshOut"/> never holds a result, <see cref="PreviousOut"/> holds the
/// result of a good run made by <see cref="KeepPreviousResult"/> before the input was broken.
/// </remarks>
internal sealed class RunSandbox : IDisposable
{
    public const string Iso3 = "TST";

    public static readonly RasterGrid Grid = new(10, 2, 0.1, 20, 20);

    /// <summary>West and east district: the grid's halves, less a 0.05° border (half a cell) around the country.</summary>
    public static readonly Polygon West = FixtureFiles.Box(10.05, 0.05, 11, 1.95);

    public static readonly Polygon East = FixtureFiles.Box(11, 0.05, 11.95, 1.95);

    private readonly string _root;
    private Dictionary<string, string>? _previous;
    private int _runs;

    private RunSandbox()
    {
        _root = Path.Combine(Path.GetTempPath(), "ewcm-run-" + Guid.NewGuid().ToString("N"));
        InputFolder = Path.Combine(_root, "in");
        FreshOut = Path.Combine(_root, "out-fresh");
        PreviousOut = Path.Combine(_root, "out-previous");
        Directory.CreateDirectory(InputFolder);
    }

    public string InputFolder { get; }

    public string FreshOut { get; }

    public string PreviousOut { get; }

    public string ConfigPath => Input("country.yaml");

    /// <summary>
    /// The population values of the default pop.tif (people per cell, row-major): 200 to 700 per cell of
    /// ~123 km², a plausible rural density (the run refuses "counts" below 0.2 per km² as densities).
    /// </summary>
    public static float[] DefaultPopulation { get; } = [.. Enumerable.Range(0, Grid.Cells).Select(i => (float)(200 + (i * 37 % 101 * 5)))];

    /// <summary>The population line of country.yaml (a flow mapping).</summary>
    public string Population { get; set; } = "{ path: pop.tif, kind: counts }";

    public string Admin { get; set; } = "{ path: admin.gpkg, layer: districts, id_field: pcode, name_field: name }";

    public List<string> Coverage { get; } = ["{ path: coverage.gpkg, layer: cov_3g, technology: 3G, operator_field: operator }"];

    /// <summary>Entries of the hazards: list (flow mappings); none by default, and then no hazards: key is written.</summary>
    public List<string> Hazards { get; } = [];

    /// <summary>A sandbox with the default inputs and country.yaml written.</summary>
    public static RunSandbox WithDefaults()
    {
        var box = new RunSandbox();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), Grid, DefaultPopulation);
        box.WriteAdmin(("TS01", West), ("TS02", East));
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields,
        [
            (FixtureFiles.Box(10.25, 0.45, 11.55, 1.55), ["OpA"]),
            (FixtureFiles.Box(11.2, 1.2, 11.9, 1.9), ["OpB"]),
        ]);
        box.WriteConfig();
        return box;
    }

    /// <summary>An empty sandbox (for inputs of its own).</summary>
    public static RunSandbox Empty() => new();

    public string Input(string name) => Path.Combine(InputFolder, name);

    /// <summary>Writes admin.gpkg (layer 'districts', fields pcode and name) with these units.</summary>
    public void WriteAdmin(params (string Id, Geometry Geometry)[] units) =>
        FixtureFiles.WriteLayer(Input("admin.gpkg"), "districts", FixtureFiles.AdminFields,
            units.Select(u => (u.Geometry, new object?[] { u.Id, $"District {u.Id}" })));

    /// <summary>Writes country.yaml from <see cref="Population"/>, <see cref="Admin"/> and <see cref="Coverage"/>.</summary>
    public void WriteConfig() => WriteConfig(
        $"iso3: {Iso3}\nname: Testland\npopulation: {Population}\nadmin: {Admin}\ncoverage:\n"
        + string.Concat(Coverage.Select(c => $"  - {c}\n"))
        + (Hazards.Count == 0 ? string.Empty : "hazards:\n" + string.Concat(Hazards.Select(h => $"  - {h}\n"))));

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text);

    /// <summary>Runs `ewcm run country.yaml --out <paramref name="outRoot"/>` with <paramref name="extra"/> options.</summary>
    public CliOutcome Run(string outRoot, params string[] extra) => EwcmCli.Run(["run", ConfigPath, "--out", outRoot, .. extra]);

    /// <summary>Runs into a new output root; the run must succeed. Returns its outputs.</summary>
    public RunOutputs ExpectSuccess(params string[] extra)
    {
        string outRoot = Path.Combine(_root, $"out-ok-{++_runs}");
        CliOutcome outcome = Run(outRoot, extra);
        Assert.True(outcome.ExitCode == 0, $"exit code {outcome.ExitCode}: {outcome.Errors}");
        Assert.Equal([Iso3], Directory.EnumerateFileSystemEntries(outRoot).Select(Path.GetFileName));
        return RunOutputs.Read(Path.Combine(outRoot, Iso3));
    }

    /// <summary>Runs the inputs as they are now into <see cref="PreviousOut"/> (it must succeed) and remembers that result.</summary>
    public void KeepPreviousResult()
    {
        CliOutcome outcome = Run(PreviousOut, "--threads", "2");
        Assert.True(outcome.ExitCode == 0, $"the run before breaking an input failed ({outcome.ExitCode}): {outcome.Errors}");
        _previous = Snapshot(PreviousOut);
        Assert.Contains($"{Iso3}/summary.json", _previous.Keys);
    }

    /// <summary>
    /// Runs into <see cref="FreshOut"/> and into <see cref="PreviousOut"/>: both must fail with exit code 2
    /// and an error holding every fragment; neither may leave output behind (no &lt;ISO3&gt; folder, no
    /// hidden temporary folder) and the previous result must be untouched.
    /// </summary>
    public void ExpectRefused(params string[] fragments)
    {
        Assert.NotNull(_previous);
        CliOutcome fresh = Run(FreshOut);
        AssertRefused(fresh, fragments);
        Assert.Empty(Directory.Exists(FreshOut) ? Directory.EnumerateFileSystemEntries(FreshOut) : []);

        CliOutcome again = Run(PreviousOut, "--threads", "2");
        AssertRefused(again, fragments);
        Assert.Equal(_previous, Snapshot(PreviousOut));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void AssertRefused(CliOutcome outcome, string[] fragments)
    {
        Assert.True(outcome.ExitCode == 2, $"expected exit code 2, got {outcome.ExitCode}: {outcome.Errors}");
        foreach (string fragment in fragments.Prepend("error: "))
        {
            // The whole message in the failure: xunit's Contains would cut it short.
            Assert.True(outcome.Says(fragment), $"'{fragment}' is not in the error: {outcome.Errors}");
        }
    }

    /// <summary>Every entry under <paramref name="root"/> (hidden ones too): relative path → SHA-256 of a file, "dir" for a folder.</summary>
    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetRelativePath(root, p).Replace('\\', '/'),
            p => Directory.Exists(p) ? "dir" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))),
            StringComparer.Ordinal);
}
