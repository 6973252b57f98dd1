using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Bench.Reduction;

/// <summary>
/// The per-admin reduction at the end of a run: the bands' fixed-point sums added in band order
/// (<see cref="BandResult.Add"/>, as <see cref="OverlayRunner"/> does) and the admin table built from the
/// totals (<see cref="AdminStatsCsv.Write"/>, written to a temporary folder). The band results are
/// synthetic but shaped like those of `large`: a 20 000 × 20 000 grid in 79 bands of 256 rows, one admin
/// level of <see cref="Units"/> units, 2 operators × 2G/3G/4G (9 masks); a unit has people only in the
/// bands its rows cross. Its cost depends on bands × units × masks, not on cells: the per-cell columns
/// give its share of a run per cell of that grid.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
public class ReductionBenchmarks : ICellCounted
{
    internal const int GridSide = 20000;
    internal const int BandHeight = 256;
    private string _folder = "";
    private string _csvPath = "";

    /// <summary>Admin units of the level (a √n × √n lattice: 17² = 289 ≈ `large`'s 300, 40² = 1 600 ≥ Sierra Leone's sections).</summary>
    [Params(289, 1600)]
    public int Units { get; set; }

    public long CellsPerInvoke => (long)GridSide * GridSide;

    internal OverlayModel Model { get; private set; } = null!;

    internal BandResult[] Bands { get; private set; } = [];

    internal BandResult Totals { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        int k = (int)Math.Round(Math.Sqrt(Units));
        var rng = new Random(31);
        var units = SyntheticCountry.AdminUnits(GridSide, k, rng);
        var layers = SyntheticCountry.CoverageLayers(GridSide, 2, rng);
        Model = ModelBuilder.BuildMasks(new GridSpec(0, GridSide, 1, 1, GridSide, GridSide), [new AdminLevel("admin", "synthetic", units)], layers);
        Bands = SyntheticBandResults.Make(Model, GridSide, BandHeight, rng);
        _folder = Directory.CreateTempSubdirectory("ewcm-bench-reduction-").FullName;
        _csvPath = Path.Combine(_folder, "admin_stats.csv");
        try
        {
            Totals = AddBands();
            BuildTable();
            Validation.CheckReduction(this, _csvPath);
        }
        catch
        {
            Cleanup(); // leave no temporary files, whether or not GlobalCleanup follows a failed setup
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_folder.Length > 0)
        {
            Directory.Delete(_folder, recursive: true);
            _folder = "";
        }
    }

    /// <summary>The bands' sums added in band order into a fresh total.</summary>
    [Benchmark]
    public BandResult AddBands()
    {
        var total = new BandResult(1, [Model.Levels[0].Units.Count], Model.Masks.Count);
        foreach (BandResult band in Bands)
        {
            total.Add(band);
        }

        return total;
    }

    /// <summary>The admin table (admin_stats.csv) from the totals.</summary>
    [Benchmark]
    public void BuildTable() => AdminStatsCsv.Write(_csvPath, Model, 0, Totals);
}
