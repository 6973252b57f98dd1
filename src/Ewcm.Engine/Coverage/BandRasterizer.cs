namespace Ewcm.Engine.Coverage;

/// <summary>
/// Exact cell-area fractions of a polygon over a band of rows, from its boundary segments alone.
/// </summary>
/// <remarks>
/// Signed-area accumulation: every boundary segment, cut at row and column lines, adds to the cell it
/// crosses the part of that cell lying to its right, and adds its full height to every cell further
/// right. A prefix sum along the row then gives, per cell, the integral of the winding number over the
/// cell, which for a valid polygon is exactly the covered fraction of its area. The deltas are kept
/// sparse (only where segments are), so interior runs cost nothing per cell: the work grows with the
/// number of boundary crossings, not with the area. Segments left of the grid still count (their cover
/// carries into column 0); segments right of it do not.
/// One instance per thread: it reuses its buffers between calls.
/// </remarks>
public sealed class BandRasterizer
{
    /// <summary>Accumulated drift below this (in cell fractions) is rounding, not coverage.</summary>
    public const double Epsilon = 1e-12;

    private readonly int _columns;
    private long[] _keys = new long[1024];
    private double[] _deltas = new double[1024];
    private int _count;
    private int _row0;
    private int _rows;

    public BandRasterizer(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        _columns = columns;
    }

    /// <summary>Rasterizes the segments of one geometry over rows [row0, row0 + rows).</summary>
    public BandCoverage Rasterize(ReadOnlySpan<Segment> segments, int row0, int rows)
    {
        _count = 0;
        _row0 = row0;
        _rows = rows;
        foreach (Segment s in segments)
        {
            AddSegment(s);
        }

        return BuildSpans();
    }

    private void AddSegment(Segment s)
    {
        double u0 = s.U0, v0 = s.V0, u1 = s.U1, v1 = s.V1;
        double sign = 1;
        if (v0 > v1)
        {
            (u0, v0, u1, v1) = (u1, v1, u0, v0);
            sign = -1;
        }

        double top = _row0, bottom = _row0 + _rows;
        if (v1 <= top || v0 >= bottom || v0 == v1)
        {
            return;
        }

        double dudv = (u1 - u0) / (v1 - v0);
        double vStart = Math.Max(v0, top);
        double vEnd = Math.Min(v1, bottom);
        int rFirst = (int)Math.Floor(vStart);
        int rLast = Math.Min((int)Math.Ceiling(vEnd) - 1, _row0 + _rows - 1);
        for (int r = rFirst; r <= rLast; r++)
        {
            double va = Math.Max(vStart, r);
            double vb = Math.Min(vEnd, r + 1);
            if (vb <= va)
            {
                continue;
            }

            // Evaluate u from the nearer end point so that shared vertices give identical values.
            double ua = va == v0 ? u0 : u0 + ((va - v0) * dudv);
            double ub = vb == v1 ? u1 : u0 + ((vb - v0) * dudv);
            AddRowPiece(r - _row0, ua, ub, sign * (vb - va));
        }
    }

    /// <summary>Adds a segment piece lying within one row, of signed height <paramref name="dv"/>.</summary>
    private void AddRowPiece(int bandRow, double ua, double ub, double dv)
    {
        if (ua > ub)
        {
            (ua, ub) = (ub, ua);
        }

        if (ub <= 0)
        {
            Add(bandRow, 0, dv); // wholly left of the grid: covers the whole row to its right
            return;
        }

        if (ua >= _columns)
        {
            return; // right of the grid: covers nothing inside it
        }

        double width = ub - ua;
        if (width == 0)
        {
            int c = (int)Math.Floor(ua);
            double xm = ua - c;
            Add(bandRow, c, dv * (1 - xm));
            if (xm > 0 && c + 1 < _columns)
            {
                Add(bandRow, c + 1, dv * xm);
            }

            return;
        }

        double xa = ua;
        if (xa < 0)
        {
            Add(bandRow, 0, dv * (-xa / width));
            xa = 0;
        }

        double xEnd = Math.Min(ub, _columns);
        int col = (int)Math.Floor(xa);
        while (xa < xEnd)
        {
            double xb = Math.Min(col + 1, xEnd);
            double dvs = dv * ((xb - xa) / width);
            double xmid = (0.5 * (xa + xb)) - col;
            Add(bandRow, col, dvs * (1 - xmid));
            if (col + 1 < _columns)
            {
                Add(bandRow, col + 1, dvs * xmid);
            }

            xa = xb;
            col++;
        }
    }

    private void Add(int bandRow, int col, double delta)
    {
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _deltas, _count * 2);
        }

        _keys[_count] = ((long)bandRow * (_columns + 1)) + col;
        _deltas[_count] = delta;
        _count++;
    }

    private BandCoverage BuildSpans()
    {
        var rowOffsets = new int[_rows + 1];
        if (_count == 0)
        {
            return new BandCoverage(_row0, _rows, rowOffsets, [], [], []);
        }

        // Sorting keys (row, column) makes the sweep order, and so the rounding, independent of input order.
        Array.Sort(_keys, _deltas, 0, _count);
        var start = new List<int>(_count / 2);
        var end = new List<int>(_count / 2);
        var value = new List<double>(_count / 2);
        int stride = _columns + 1;
        int i = 0;
        int currentRow = 0;
        while (i < _count)
        {
            int row = (int)(_keys[i] / stride);
            while (currentRow <= row)
            {
                rowOffsets[currentRow++] = start.Count;
            }

            double sum = 0;
            while (i < _count && (int)(_keys[i] / stride) == row)
            {
                int col = (int)(_keys[i] % stride);
                while (i < _count && _keys[i] == ((long)row * stride) + col)
                {
                    sum += _deltas[i];
                    i++;
                }

                int next = i < _count && (int)(_keys[i] / stride) == row ? (int)(_keys[i] % stride) : _columns;
                double v = Snap(sum);
                if (v > 0 && next > col)
                {
                    // Merge with the previous span when it continues it at the same value (interior runs).
                    int last = start.Count - 1;
                    if (last >= rowOffsets[row] && end[last] == col && value[last] == v)
                    {
                        end[last] = next;
                    }
                    else
                    {
                        start.Add(col);
                        end.Add(next);
                        value.Add(v);
                    }
                }
            }
        }

        while (currentRow <= _rows)
        {
            rowOffsets[currentRow++] = start.Count;
        }

        return new BandCoverage(_row0, _rows, rowOffsets, [.. start], [.. end], [.. value]);
    }

    private static double Snap(double v)
    {
        if (v < Epsilon)
        {
            return 0;
        }

        return v > 1 - Epsilon ? 1 : v;
    }
}
