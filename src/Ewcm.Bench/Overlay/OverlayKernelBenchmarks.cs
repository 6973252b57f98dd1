using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Engine.Coverage;
using Ewcm.Engine.Overlay;

namespace Ewcm.Bench.Overlay;

/// <summary>
/// The overlay kernel (rasterize admin units and coverage masks per band, then per-unit sums) on a
/// synthetic country held in memory, one thread. Time is reported per cell (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class OverlayKernelBenchmarks
{
    private const int Size = 2000;
    private const int BandHeight = 256;
    private SyntheticCountry _country = null!;
    private EdgeBuckets _edges = null!;

    [GlobalSetup]
    public void Setup()
    {
        Validation.CheckKernelAgainstOracle();
        _country = new SyntheticCountry(Size, seed: 42);
        _edges = new EdgeBuckets(_country.Model.AllGeometries(), Size, BandHeight);
        Validation.CheckConservation(_country, Kernel());
    }

    [Benchmark(OperationsPerInvoke = Size * Size)]
    public BandResult Kernel()
    {
        var model = _country.Model;
        var processor = new BandProcessor(model, _edges);
        var total = new BandResult(1, [model.Levels[0].Units.Count], model.Masks.Count);
        for (int b = 0; b < _edges.BandCount; b++)
        {
            int r0 = b * BandHeight;
            int n = Math.Min(BandHeight, Size - r0);
            total.Add(processor.Process(b, _country.Population.AsSpan(r0 * Size, n * Size), Span<float>.Empty, null));
        }

        return total;
    }
}
