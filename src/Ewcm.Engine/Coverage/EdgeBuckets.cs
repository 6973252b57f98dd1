using System.Collections.Concurrent;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// Boundary segments of many geometries, indexed by band of rows, so that a band is rasterized from
/// the segments that cross it only.
/// </summary>
/// <remarks>
/// Each geometry's segments are stored once, in ring order; a band lists, per geometry crossing it, the
/// runs of consecutive segments that reach into it (a boundary enters and leaves a band a few times,
/// so the runs are few). A band's segments are thus read in place, in ring order, and nothing is copied
/// per band: building the index costs one pass over the vertices and runs on several threads, one
/// geometry at a time, where copying every segment into per-band lists was a serial 0.6 s on `large`.
/// </remarks>
public sealed class EdgeBuckets
{
    private readonly Segment[][] _segments;   // per geometry: its segments in ring order
    private readonly int[][] _geometryIds;    // per band: geometry ids, ascending
    private readonly int[][] _runOffsets;     // per band: start of each listed geometry's runs in _runs
    private readonly SegmentRun[][] _runs;    // per band: runs into the listed geometries' segments

    /// <summary>Indexes the segments of <paramref name="gridGeometries"/> (ids in enumeration order) on up to <paramref name="threads"/> threads.</summary>
    public EdgeBuckets(IEnumerable<Geometry> gridGeometries, int rows, int bandHeight, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(gridGeometries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandHeight);
        BandHeight = bandHeight;
        BandCount = (rows + bandHeight - 1) / bandHeight;
        Geometry[] geometries = [.. gridGeometries];
        GeometryCount = geometries.Length;
        _segments = new Segment[geometries.Length][];
        var runsByGeometry = new BandRun[geometries.Length][];
        // Largest first, one at a time: the coverage geometries, a few but most of the vertices, come last in
        // id order, and Parallel.For's ranges handed them all to one thread (0.16 s, serial, on large).
        int[] bySize = [.. Enumerable.Range(0, geometries.Length).OrderByDescending(id => geometries[id].NumPoints)];
        Parallel.ForEach(Partitioner.Create(bySize, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, id =>
        {
            _segments[id] = GridEdges.Of(geometries[id], out int count);
            runsByGeometry[id] = FindRuns(_segments[id].AsSpan(0, count), rows);
        });

        // Per band: how many geometries and runs it lists, then the lists, in geometry order.
        var geometriesPerBand = new int[BandCount];
        var runsPerBand = new int[BandCount];
        foreach (BandRun[] runs in runsByGeometry)
        {
            for (int k = 0; k < runs.Length; k++)
            {
                if (k == 0 || runs[k].Band != runs[k - 1].Band)
                {
                    geometriesPerBand[runs[k].Band]++;
                }

                runsPerBand[runs[k].Band]++;
            }
        }

        _geometryIds = new int[BandCount][];
        _runOffsets = new int[BandCount][];
        _runs = new SegmentRun[BandCount][];
        for (int b = 0; b < BandCount; b++)
        {
            _geometryIds[b] = new int[geometriesPerBand[b]];
            _runOffsets[b] = new int[geometriesPerBand[b] + 1];
            _runs[b] = new SegmentRun[runsPerBand[b]];
            geometriesPerBand[b] = 0;
            runsPerBand[b] = 0;
        }

        for (int id = 0; id < geometries.Length; id++)
        {
            BandRun[] runs = runsByGeometry[id];
            for (int k = 0; k < runs.Length; k++)
            {
                int b = runs[k].Band;
                if (k == 0 || b != runs[k - 1].Band)
                {
                    _geometryIds[b][geometriesPerBand[b]] = id;
                    _runOffsets[b][geometriesPerBand[b]] = runsPerBand[b];
                    geometriesPerBand[b]++;
                }

                _runs[b][runsPerBand[b]++] = runs[k].Run;
                SegmentCount += runs[k].Run.End - runs[k].Run.Start;
            }
        }

        for (int b = 0; b < BandCount; b++)
        {
            _runOffsets[b][^1] = runsPerBand[b];
        }
    }

    public int BandHeight { get; }

    public int BandCount { get; }

    public int GeometryCount { get; }

    /// <summary>Segments listed over all bands (a segment reaching into k bands counts k times).</summary>
    public long SegmentCount { get; }

    /// <summary>Geometry ids with segments in band <paramref name="band"/>, ascending.</summary>
    public ReadOnlySpan<int> GeometriesIn(int band) => _geometryIds[band];

    /// <summary>Segments of the i-th geometry listed for the band, in ring order, as runs of consecutive segments.</summary>
    public SegmentRuns SegmentsOf(int band, int i)
    {
        int first = _runOffsets[band][i];
        return new SegmentRuns(_segments[_geometryIds[band][i]], _runs[band].AsSpan(first, _runOffsets[band][i + 1] - first));
    }

    /// <summary>
    /// The runs of consecutive segments reaching into each band (a segment spanning several bands is in a
    /// run of each), ordered by band, then along the rings. Segments wholly above or below the grid are left out.
    /// </summary>
    private BandRun[] FindRuns(ReadOnlySpan<Segment> segments, int rows)
    {
        var runs = new List<BandRun>();
        var open = new int[BandCount]; // per band: the run the previous segment extended, when it reached the band
        int previousFirst = 0, previousLast = -1;
        for (int i = 0; i < segments.Length; i++)
        {
            Segment s = segments[i];
            double vmin = Math.Min(s.V0, s.V1), vmax = Math.Max(s.V0, s.V1);
            if (vmax <= 0 || vmin >= rows)
            {
                previousLast = -1;
                continue;
            }

            int b0 = Math.Max(0, (int)Math.Floor(vmin / BandHeight));
            int b1 = Math.Min(BandCount - 1, (int)Math.Floor(Math.Min(vmax, rows - 1e-9) / BandHeight));
            for (int b = b0; b <= b1; b++)
            {
                if (b >= previousFirst && b <= previousLast)
                {
                    BandRun run = runs[open[b]];
                    runs[open[b]] = run with { Run = run.Run with { End = i + 1 } };
                }
                else
                {
                    open[b] = runs.Count;
                    runs.Add(new BandRun(b, new SegmentRun(i, i + 1)));
                }
            }

            previousFirst = b0;
            previousLast = b1;
        }

        // Runs were opened in ring order; a stable sort by band keeps that order within each band.
        return [.. runs.OrderBy(r => r.Band)];
    }

    private readonly record struct BandRun(int Band, SegmentRun Run);
}

/// <summary>Segments [Start, End) of one geometry's segments.</summary>
public readonly record struct SegmentRun(int Start, int End);

/// <summary>The segments of one geometry in one band: runs of its segment array, enumerated as spans.</summary>
public readonly ref struct SegmentRuns
{
    private readonly Segment[] _segments;
    private readonly ReadOnlySpan<SegmentRun> _runs;

    internal SegmentRuns(Segment[] segments, ReadOnlySpan<SegmentRun> runs)
    {
        _segments = segments;
        _runs = runs;
    }

    /// <summary>Number of runs.</summary>
    public int Count => _runs.Length;

    /// <summary>The segments of every run, in order, copied into one array (for tests).</summary>
    internal Segment[] ToArray()
    {
        var all = new List<Segment>();
        foreach (ReadOnlySpan<Segment> run in this)
        {
            all.AddRange(run);
        }

        return [.. all];
    }

    public Enumerator GetEnumerator() => new(_segments, _runs);

    /// <summary>Enumerates the runs as spans of segments.</summary>
    public ref struct Enumerator
    {
        private readonly Segment[] _segments;
        private readonly ReadOnlySpan<SegmentRun> _runs;
        private int _index;

        internal Enumerator(Segment[] segments, ReadOnlySpan<SegmentRun> runs)
        {
            _segments = segments;
            _runs = runs;
            _index = -1;
        }

        public readonly ReadOnlySpan<Segment> Current => _segments.AsSpan(_runs[_index].Start, _runs[_index].End - _runs[_index].Start);

        public bool MoveNext() => ++_index < _runs.Length;
    }
}
