using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Zones;
using NetTopologySuite.Geometries;

namespace Ewcm.Bench.Zones;

/// <summary>
/// Blank-zone labelling (per band, then the merge across bands) and polygon tracing on a synthetic grid
/// held in memory: islands of 6 × 6 uncovered cells around a covered 2 × 2 hole, 2 cells apart, plus a
/// long snake crossing every band. Throughput is per cell of the grid (both methods cover all of it).
/// The answer is checked before measuring (<see cref="Validation.CheckZoneLabels"/>): zone count,
/// conservation, and valid polygons of the right area.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CellThroughputConfig))]
public class ZoneBenchmarks : ICellCounted
{
    internal const int Size = 2000;
    internal const int Pitch = 8;
    private const int BandHeight = 256;
    private float[] _covered = null!;
    private ZoneSet _set = null!;

    public long CellsPerInvoke => (long)Size * Size;

    /// <summary>Uncovered people per cell, row-major (zero on covered and empty cells).</summary>
    internal double[] Uncovered { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Uncovered = new double[Size * Size];
        _covered = new float[Size * Size];
        for (int r = 0; r < Size; r++)
        {
            for (int c = 0; c < Size; c++)
            {
                int i = (r * Size) + c;
                int rr = r % Pitch, cc = c % Pitch;
                if (c == Size - 1)
                {
                    Uncovered[i] = 0.5; // the snake: the last column, one zone through every band
                }
                else if (rr is >= 2 and <= 3 && cc is >= 2 and <= 3)
                {
                    _covered[i] = 1;
                }
                else if (rr < 6 && cc < 6 && c < Size - 2)
                {
                    Uncovered[i] = 1 + (0.25 * (i % 3));
                }
            }
        }

        _set = Label();
        Validation.CheckZoneLabels(this, _set);
    }

    [Benchmark]
    public ZoneSet Label()
    {
        var builder = new ZoneBuilder(Size, Size, _ => 1.0, new BlankZoneSettings(MinPeople: 0), []);
        for (int row0 = 0; row0 < Size; row0 += BandHeight)
        {
            int n = Math.Min(BandHeight, Size - row0) * Size;
            builder.AcceptBand(row0 / BandHeight, row0, n / Size, Uncovered.AsSpan(row0 * Size, n), _covered.AsSpan(row0 * Size, n), [], null);
        }

        return builder.Merge();
    }

    [Benchmark]
    public double Polygons()
    {
        var factory = new GeometryFactory();
        double area = 0;
        for (int z = 0; z < _set.Count; z++)
        {
            area += ZoneTracer.Trace(_set.RunsOf(z), factory).Area;
        }

        return area;
    }
}
