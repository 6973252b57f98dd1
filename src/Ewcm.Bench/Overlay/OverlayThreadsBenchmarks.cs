using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Coverage;
using Ewcm.Engine.Overlay;

namespace Ewcm.Bench.Overlay;

/// <summary>
/// The overlay stage without decode, on 1 or 2 threads (issue 3, point 2): every band of a synthetic
/// country already in memory goes through <see cref="BandProcessor.Process"/> on worker threads that take
/// the next band as they become free (one processor per thread, as a run's workers have), and the band
/// sums are then added in band order. The 1-thread ÷ 2-thread ratio of the means is the speed-up.
/// </summary>
/// <remarks>
/// The edge index is built once in the setup (in a run it is built on the same threads just before the
/// bands, and costs about a tenth of them). Before measuring, the sums on N threads are checked to be
/// bit-identical to those of one processor running the bands in order.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
public class OverlayThreadsBenchmarks : ICellCounted
{
    private const int BandHeight = 256;
    private const int Size = 4000;
    private SyntheticCountry _country = null!;
    private EdgeBuckets _edges = null!;
    private BandProcessor[] _processors = null!;

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    public long CellsPerInvoke => (long)Size * Size;

    [GlobalSetup]
    public void Setup()
    {
        _country = new SyntheticCountry(Size, seed: 7, adminPerSide: 20, discsPerLayer: 200);
        _edges = new EdgeBuckets(_country.Model.AllGeometries(), Size, BandHeight, Threads);
        _processors = [.. Enumerable.Range(0, Threads).Select(_ => new BandProcessor(_country.Model, _edges))];
        BandResult inOrder = KernelRun.InBandOrder(new BandProcessor(_country.Model, _edges), _country.Model, _country.Population, Size, BandHeight);
        BandResult parallel = Overlay();
        Validation.CheckConservation(_country, parallel);
        Validation.CheckSameSums(inOrder, parallel);
        Console.WriteLine($"// checked: {Threads} thread(s), {_edges.BandCount} bands: sums bit-identical to one processor in band order, people conserved");
    }

    [Benchmark]
    public BandResult Overlay()
    {
        var results = new BandResult[_edges.BandCount];
        int next = -1;
        var workers = new Thread[Threads];
        for (int w = 0; w < Threads; w++)
        {
            BandProcessor processor = _processors[w];
            workers[w] = new Thread(() =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < results.Length)
                {
                    results[b] = processor.Process(b, BandRows(b), Span<float>.Empty, null);
                }
            });
            workers[w].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        var total = BandResult.For(_country.Model);
        foreach (BandResult band in results)
        {
            total.Add(band);
        }

        return total;
    }

    private ReadOnlySpan<float> BandRows(int band) => KernelRun.BandRows(_country.Population, Size, BandHeight, band);
}
