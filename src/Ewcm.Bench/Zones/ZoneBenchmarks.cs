using BenchmarkDotNet.Attributes;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Zones;
using NetTopologySuite.Geometries;

namespace Ewcm.Bench.Zones;

/// <summary>
/// Blank-zone labelling (per band, then the merge across bands) and polygon tracing on a synthetic grid
/// held in memory: islands of 6 × 6 uncovered cells around a covered 2 × 2 hole, 2 cells apart, plus a
/// long snake crossing every band. Time is reported per cell (OperationsPerInvoke); cells/s = 1 / time.
/// The answer is checked before measuring: zone count, conservation, and valid polygons of the right area.
/// </summary>
[MemoryDiagnoser]
public class ZoneBenchmarks
{
    private const int Size = 2000;
    private const int BandHeight = 256;
    private const int Pitch = 8;
    private double[] _uncovered = null!;
    private float[] _covered = null!;
    private ZoneSet _set = null!;

    [GlobalSetup]
    public void Setup()
    {
        _uncovered = new double[Size * Size];
        _covered = new float[Size * Size];
        for (int r = 0; r < Size; r++)
        {
            for (int c = 0; c < Size; c++)
            {
                int i = (r * Size) + c;
                int rr = r % Pitch, cc = c % Pitch;
                if (c == Size - 1)
                {
                    _uncovered[i] = 0.5; // the snake: the last column, one zone through every band
                }
                else if (rr is >= 2 and <= 3 && cc is >= 2 and <= 3)
                {
                    _covered[i] = 1;
                }
                else if (rr < 6 && cc < 6 && c < Size - 2)
                {
                    _uncovered[i] = 1 + (0.25 * (i % 3));
                }
            }
        }

        _set = Label();
        Validate(_set);
    }

    [Benchmark(OperationsPerInvoke = Size * Size)]
    public ZoneSet Label()
    {
        var builder = new ZoneBuilder(Size, Size, _ => 1.0, new BlankZoneSettings(MinPeople: 0), []);
        for (int row0 = 0; row0 < Size; row0 += BandHeight)
        {
            int n = Math.Min(BandHeight, Size - row0) * Size;
            builder.AcceptBand(row0 / BandHeight, row0, n / Size, _uncovered.AsSpan(row0 * Size, n), _covered.AsSpan(row0 * Size, n), [], null);
        }

        return builder.Merge();
    }

    [Benchmark(OperationsPerInvoke = Size * Size)]
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

    private void Validate(ZoneSet set)
    {
        // Islands whose 6 × 6 block fits left of the two last columns, and the snake.
        int perRow = (Size - 2 + (Pitch - 6)) / Pitch;
        int perColumn = (Size + (Pitch - 6)) / Pitch;
        int expected = (perRow * perColumn) + 1;
        if (set.Count != expected)
        {
            throw new InvalidOperationException($"Expected {expected} zones, got {set.Count}.");
        }

        double total = _uncovered.Sum();
        double zones = Enumerable.Range(0, set.Count).Sum(set.People);
        if (Math.Abs(zones - total) > 1e-9 * total || Math.Abs(set.AllUncovered - total) > 1e-9 * total)
        {
            throw new InvalidOperationException($"Conservation failed: zones {zones}, all {set.AllUncovered}, expected {total}.");
        }

        var factory = new GeometryFactory();
        foreach (int z in new[] { 0, 1, set.Count / 2, set.Count - 1 })
        {
            Geometry g = ZoneTracer.Trace(set.RunsOf(z), factory);
            if (!g.IsValid || g.Area != set.Cells(z))
            {
                throw new InvalidOperationException($"Zone {z}: polygon valid {g.IsValid}, area {g.Area} for {set.Cells(z)} cells.");
            }
        }

        if (Polygons() != _uncovered.Count(v => v > 0))
        {
            throw new InvalidOperationException("The polygons' area is not the number of zone cells.");
        }
    }
}
