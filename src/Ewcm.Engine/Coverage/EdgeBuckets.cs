using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// Boundary segments of many geometries, bucketed by band of rows, so that a band is rasterized from
/// the segments that cross it only. A segment spanning several bands is listed in each.
/// </summary>
public sealed class EdgeBuckets
{
    private readonly Segment[][] _segments;   // per band
    private readonly int[][] _geometryIds;    // per band: geometry ids, ascending
    private readonly int[][] _offsets;        // per band: start of each geometry's run in _segments

    public EdgeBuckets(IEnumerable<Geometry> gridGeometries, int rows, int bandHeight)
    {
        ArgumentNullException.ThrowIfNull(gridGeometries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandHeight);
        BandHeight = bandHeight;
        BandCount = (rows + bandHeight - 1) / bandHeight;
        var segs = new List<Segment>[BandCount];
        var ids = new List<int>[BandCount];
        var offs = new List<int>[BandCount];
        for (int b = 0; b < BandCount; b++)
        {
            segs[b] = [];
            ids[b] = [];
            offs[b] = [];
        }

        var own = new List<Segment>();
        int id = 0;
        foreach (Geometry g in gridGeometries)
        {
            own.Clear();
            GridEdges.Append(g, own);
            foreach (Segment s in own)
            {
                double vmin = Math.Min(s.V0, s.V1), vmax = Math.Max(s.V0, s.V1);
                if (vmax <= 0 || vmin >= rows)
                {
                    continue;
                }

                int b0 = Math.Max(0, (int)Math.Floor(vmin / bandHeight));
                int b1 = Math.Min(BandCount - 1, (int)Math.Floor(Math.Min(vmax, rows - 1e-9) / bandHeight));
                for (int b = b0; b <= b1; b++)
                {
                    if (ids[b].Count == 0 || ids[b][^1] != id)
                    {
                        ids[b].Add(id);
                        offs[b].Add(segs[b].Count);
                    }

                    segs[b].Add(s);
                }
            }

            id++;
        }

        GeometryCount = id;
        _segments = new Segment[BandCount][];
        _geometryIds = new int[BandCount][];
        _offsets = new int[BandCount][];
        for (int b = 0; b < BandCount; b++)
        {
            _segments[b] = [.. segs[b]];
            _geometryIds[b] = [.. ids[b]];
            offs[b].Add(segs[b].Count);
            _offsets[b] = [.. offs[b]];
            SegmentCount += segs[b].Count;
        }
    }

    public int BandHeight { get; }

    public int BandCount { get; }

    public int GeometryCount { get; }

    /// <summary>Total stored segments (a segment crossing k bands counts k times).</summary>
    public long SegmentCount { get; }

    /// <summary>Geometry ids with segments in band <paramref name="band"/>, ascending.</summary>
    public ReadOnlySpan<int> GeometriesIn(int band) => _geometryIds[band];

    /// <summary>Segments of the i-th geometry listed for the band.</summary>
    public ReadOnlySpan<Segment> SegmentsOf(int band, int i) =>
        _segments[band].AsSpan(_offsets[band][i], _offsets[band][i + 1] - _offsets[band][i]);
}
