using System.Security.Cryptography;
using Ewcm.Engine.Batch;
using Ewcm.Engine.Tests.Pipeline;

namespace Ewcm.Engine.Tests.Batch;

/// <summary>
/// Small countries and a manifest in a fresh temp folder, for batch tests: each country is a grid of
/// <c>size × size</c> cells of 0.1° (real GeoTIFF and GeoPackage files), two districts and coverage of
/// two operators (2G and 3G), so that a run takes a fraction of a second.
/// </summary>
internal sealed class BatchSandbox : IDisposable
{
    private BatchSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "ewcm-batch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string ManifestPath => Path.Combine(Root, "manifest.yaml");

    public static BatchSandbox Empty() => new();

    /// <summary>
    /// Three countries of different sizes (AAA 24², BBB 16², CCC 10²) and a fourth, DDD, given inline
    /// in the manifest, so that shards and input sizes differ.
    /// </summary>
    public static BatchSandbox FourCountries(string extraDefaults = "")
    {
        var box = new BatchSandbox();
        box.AddCountry("aaa", "AAA", 24);
        box.AddCountry("bbb", "BBB", 16);
        box.AddCountry("ccc", "CCC", 10);
        box.AddCountry("ddd", "DDD", 12, writeConfig: false);
        box.WriteManifest($$"""
            defaults:
              rasters: false
            {{extraDefaults}}
            countries:
              - aaa/country.yaml
              - { config: bbb }
              - ccc/country.yaml
              - id: DDD
                country:
                  iso3: DDD
                  name: Country DDD (inline)
                  population: { path: ddd/pop.tif, kind: counts }
                  admin: { path: ddd/admin.gpkg, layer: districts, id_field: pcode, name_field: name }
                  coverage:
                    - { path: ddd/coverage.gpkg, layer: cov, technology: 3G, operator_field: operator }
            """);
        return box;
    }

    public string In(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Writes folder/pop.tif, admin.gpkg, coverage.gpkg and (unless told not to) country.yaml.</summary>
    public string AddCountry(string folder, string iso3, int size, bool writeConfig = true)
    {
        string dir = In(folder);
        Directory.CreateDirectory(dir);
        var grid = new RasterGrid(10, 0.1 * size, 0.1, size, size);
        double east = 10 + (0.1 * size), north = 0.1 * size, mid = 10 + (0.05 * size);
        float[] people = [.. Enumerable.Range(0, grid.Cells).Select(i => (float)(200 + (i * 37 % 101 * 5)))];
        FixtureFiles.WriteRaster(Path.Combine(dir, "pop.tif"), grid, people);
        FixtureFiles.WriteLayer(Path.Combine(dir, "admin.gpkg"), "districts", FixtureFiles.AdminFields,
        [
            (FixtureFiles.Box(10.05, 0.05, mid, north - 0.05), [$"{iso3}01", "West"]),
            (FixtureFiles.Box(mid, 0.05, east - 0.05, north - 0.05), [$"{iso3}02", "East"]),
        ]);
        FixtureFiles.WriteLayer(Path.Combine(dir, "coverage.gpkg"), "cov", FixtureFiles.OperatorFields,
        [
            (FixtureFiles.Box(10.25, 0.45, mid + 0.33, north * 0.7), ["OpA"]),
            (FixtureFiles.Box(mid - 0.21, north * 0.4, east - 0.15, north - 0.12), ["OpB"]),
        ]);
        if (writeConfig)
        {
            File.WriteAllText(Path.Combine(dir, "country.yaml"), $$"""
                iso3: {{iso3}}
                name: Country {{iso3}}
                population: { path: pop.tif, kind: counts }
                admin: { path: admin.gpkg, layer: districts, id_field: pcode, name_field: name }
                coverage:
                  - { path: coverage.gpkg, layer: cov, technology: 3G, operator_field: operator }
                """);
        }

        return Path.Combine(dir, "country.yaml");
    }

    public void WriteManifest(string text) => File.WriteAllText(ManifestPath, text);

    public BatchManifest Manifest() => BatchManifest.Load(ManifestPath);

    /// <summary>Runs the manifest into Root/<paramref name="output"/> in-process.</summary>
    public BatchOutcome Run(string output, int parallel = 1, bool resume = false, ShardSpec? shard = null,
        IBatchObserver? observer = null, CancellationToken cancellationToken = default) =>
        BatchRunner.Run(Manifest(), new BatchOptions(In(output), parallel, threads: 2) { Resume = resume, Shard = shard }, observer, cancellationToken);

    /// <summary>Every entry under a folder (hidden ones too): relative path → SHA-256 of a file, "dir" for a folder.</summary>
    public static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetRelativePath(root, p).Replace('\\', '/'),
            p => Directory.Exists(p) ? "dir" : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))),
            StringComparer.Ordinal);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
