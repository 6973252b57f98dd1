using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Coverage;
using Ewcm.Engine.Overlay;

namespace Ewcm.Bench.Overlay;

/// <summary>
/// The overlay kernel (<see cref="BandProcessor"/>: rasterize admin units and coverage atoms per band,
/// build the masks, then per-unit sums, with cells crossed by both an admin and a coverage edge clipped
/// exactly) on a synthetic country held in memory, one thread, no raster outputs; band sums are added
/// in band order as a run does. Throughput is per grid cell.
/// </summary>
/// <remarks>
/// A run's worker thread makes one <see cref="BandProcessor"/> and runs it over many bands; its buffers
/// (one coverage per geometry) grow during the first bands and are then reused. <see cref="Kernel"/>
/// measures that steady state (one processor for every invocation); <see cref="KernelFreshProcessor"/>
/// makes a new processor per invocation, so its time and allocations include the buffers' growth.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
public class OverlayKernelBenchmarks : ICellCounted
{
    private const int BandHeight = 256;
    private SyntheticCountry _country = null!;
    private EdgeBuckets _edges = null!;
    private BandProcessor _processor = null!;

    /// <summary>Side of the square grid, in cells (100 admin units and 360 discs whatever the size).</summary>
    [Params(1000, 2000)]
    public int Size { get; set; }

    public long CellsPerInvoke => (long)Size * Size;

    [GlobalSetup]
    public void Setup()
    {
        Validation.CheckKernelAgainstOracle();
        _country = new SyntheticCountry(Size, seed: 42);
        _edges = new EdgeBuckets(_country.Model.AllGeometries(), Size, BandHeight);
        _processor = new BandProcessor(_country.Model, _edges);
        BandResult first = Kernel();
        BandResult again = Kernel();
        Validation.CheckConservation(_country, first);
        Validation.CheckSameSums(first, again);
        Validation.CheckSameSums(first, KernelFreshProcessor());
        Validation.CheckKernelOnSampledCells(_country, first);
    }

    [Benchmark(Baseline = true)]
    public BandResult Kernel() => Run(_processor);

    [Benchmark]
    public BandResult KernelFreshProcessor() => Run(new BandProcessor(_country.Model, _edges));

    private BandResult Run(BandProcessor processor) => KernelRun.InBandOrder(processor, _country.Model, _country.Population, Size, BandHeight);
}
