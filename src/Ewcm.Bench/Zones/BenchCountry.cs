using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Bench.Zones;

/// <summary>
/// A real country.yaml benchmarked end to end: the bundled sample, or one named in
/// <see cref="EnvironmentVariable"/>. Shown in the tables by <see cref="Name"/> (its folder's name).
/// </summary>
public sealed class BenchCountry
{
    /// <summary>More country.yaml paths to benchmark, separated by ';' (e.g. a generated `large`).</summary>
    public const string EnvironmentVariable = "EWCM_BENCH_COUNTRIES";

    private readonly Lazy<long> _cells;

    private BenchCountry(string name, string configPath)
    {
        Name = name;
        ConfigPath = configPath;
        _cells = new Lazy<long>(() =>
        {
            var grid = PopulationGrid.Open(CountryConfigLoader.Load(ConfigPath).Population).Grid;
            return (long)grid.Columns * grid.Rows;
        });
    }

    /// <summary>The country.yaml's parent folder name ("sle", "large").</summary>
    public string Name { get; }

    /// <summary>Full path of the country.yaml.</summary>
    public string ConfigPath { get; }

    /// <summary>Cells of the population grid (columns × rows), read from the raster's header on first use.</summary>
    public long Cells => _cells.Value;

    /// <summary>The sample (data/samples/sle), then every path of <see cref="EnvironmentVariable"/> in order.</summary>
    public static IEnumerable<BenchCountry> All()
    {
        yield return From(Path.Combine(RepositoryRoot(), "data", "samples", "sle", "country.yaml"));
        string? extra = Environment.GetEnvironmentVariable(EnvironmentVariable);
        foreach (string path in (extra ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return From(path);
        }
    }

    public override string ToString() => Name;

    private static BenchCountry From(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"{EnvironmentVariable}: {path} is not a file. Give the paths of country.yaml files separated by ';'.", full);
        }

        return new BenchCountry(Path.GetFileName(Path.GetDirectoryName(full))!, full);
    }

    /// <summary>The folder holding Ewcm.sln, above the running benchmark (BenchmarkDotNet builds it under src/Ewcm.Bench/bin).</summary>
    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Ewcm.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"No Ewcm.sln above {AppContext.BaseDirectory}: run the benchmarks from the repository (scripts/bench.sh).");
    }
}
