using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Coverage;
using NetTopologySuite.Geometries;

namespace Ewcm.Bench.Coverage;

/// <summary>
/// Exact rasterization: every admin unit and coverage disc of a synthetic country turned into exact
/// per-cell fractions, band by band (256 rows), as the overlay kernel does before it combines them
/// (<see cref="GridEdges"/> → <see cref="EdgeBuckets"/> once, then <see cref="BandRasterizer"/> per band
/// and geometry into reused <see cref="BandCoverage"/> buffers). One thread. Throughput is per grid
/// cell: each invocation produces every geometry's fraction of every cell of the grid. The cost grows
/// with boundary crossings, not area, so the per-cell figure falls as the grid grows.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
public class RasterizeBenchmarks : ICellCounted
{
    private const int BandHeight = 256;
    private Geometry[] _geometries = [];
    private EdgeBuckets _edges = null!;
    private BandRasterizer _rasterizer = null!;
    private BandCoverage[] _coverage = [];

    /// <summary>Side of the square grid, in cells (the geometries scale with it).</summary>
    [Params(2000, 8000)]
    public int Size { get; set; }

    public long CellsPerInvoke => (long)Size * Size;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(23);
        _geometries =
        [
            .. SyntheticCountry.AdminUnits(Size, 10, rng).Select(u => u.GridGeometry),
            .. SyntheticCountry.CoverageLayers(Size, 60, rng).Select(l => l.GridGeometry),
        ];
        _edges = new EdgeBuckets(_geometries, Size, BandHeight);
        _rasterizer = new BandRasterizer(Size);
        _coverage = [.. _geometries.Select(_ => new BandCoverage())];
        Validation.CheckRasterization(this, _geometries, Size);
    }

    [Benchmark]
    public long Rasterize()
    {
        long spans = 0;
        for (int b = 0; b < _edges.BandCount; b++)
        {
            spans += RasterizeBand(b);
        }

        return spans;
    }

    /// <summary>Rasterizes every geometry crossing band <paramref name="band"/>; returns the number of spans made.</summary>
    internal int RasterizeBand(int band)
    {
        int row0 = band * BandHeight;
        int rows = Math.Min(BandHeight, Size - row0);
        ReadOnlySpan<int> ids = _edges.GeometriesIn(band);
        int spans = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            BandCoverage coverage = _coverage[ids[i]];
            _rasterizer.Rasterize(_edges.SegmentsOf(band, i), row0, rows, coverage);
            spans += coverage.SpanCount;
        }

        return spans;
    }

    /// <summary>For validation: the band count, and the geometries rasterized in a band with their coverage.</summary>
    internal int BandCount => _edges.BandCount;

    internal IEnumerable<(int Id, BandCoverage Coverage)> CoverageIn(int band)
    {
        foreach (int id in _edges.GeometriesIn(band).ToArray())
        {
            yield return (id, _coverage[id]);
        }
    }
}
