using System.Runtime.CompilerServices;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// Exact cell-area fractions of a polygon over a band of rows, from its boundary segments alone, with
/// the boundary inside every partial cell kept for exact local overlays.
/// </summary>
/// <remarks>
/// Signed-area accumulation: every boundary segment, cut at row and column lines into pieces that each
/// lie in one cell, adds to that cell the part of it lying to the piece's right, and adds the piece's
/// full height to every cell further right. Summing along the row then gives, per cell, the integral of
/// the winding number over the cell, which for a valid polygon is exactly the covered fraction of its
/// area. Only cells that pieces cross are visited, so interior runs cost nothing per cell: the work grows
/// with the number of boundary crossings, not with the area. Segments left of the grid still count
/// (their cover carries into column 0); segments right of it do not.
/// The pieces themselves are kept for the partial cells (<see cref="BandCoverage.PartsOf"/>). They are
/// sorted by cell and, within a cell, by their order along the rings, so the fractions and pieces of a
/// row do not depend on the band that holds it or on the input order of other rows.
/// One instance per thread: it reuses its buffers between calls.
/// </remarks>
public sealed class BandRasterizer
{
    /// <summary>Accumulated drift below this (in cell fractions) is rounding, not coverage.</summary>
    public const double Epsilon = 1e-12;

    private readonly int _columns;
    private long[] _keys = new long[1024];      // (cell index << 32) | entry index: sorts by cell, then ring order
    private long[] _sortBuffer = new long[1024];
    private int[] _digitCounts = [];
    private Entry[] _entries = new Entry[1024];
    private int _count;
    private int _row0;
    private int _rows;

    /// <summary>Creates a rasterizer for a grid of <paramref name="columns"/> columns.</summary>
    public BandRasterizer(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        _columns = columns;
    }

    /// <summary>
    /// Rasterizes the segments of one geometry over rows [row0, row0 + rows) into <paramref name="output"/>.
    /// The band must hold fewer than 2^31 cells (the population buffer of a band cannot hold more anyway).
    /// </summary>
    public void Rasterize(ReadOnlySpan<Segment> segments, int row0, int rows, BandCoverage output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Begin(row0, rows);
        AddSegments(segments);
        BuildSpans(output);
    }

    /// <summary>Rasterizes one geometry's segments in a band, given as runs (<see cref="EdgeBuckets.SegmentsOf"/>), into <paramref name="output"/>.</summary>
    public void Rasterize(SegmentRuns segments, int row0, int rows, BandCoverage output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Begin(row0, rows);
        foreach (ReadOnlySpan<Segment> run in segments)
        {
            AddSegments(run);
        }

        BuildSpans(output);
    }

    /// <summary>Starts a geometry over rows [row0, row0 + rows): its segments follow in one or more <see cref="AddSegments"/> calls.</summary>
    private void Begin(int row0, int rows)
    {
        _count = 0;
        _row0 = row0;
        _rows = rows;
    }

    /// <summary>Adds segments of the geometry begun, in ring order (the order breaks ties within a cell).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddSegments(ReadOnlySpan<Segment> segments)
    {
        foreach (Segment s in segments)
        {
            if (s.V0 == s.V1)
            {
                AddHorizontal(s.U0, s.U1, s.V0);
            }
            else
            {
                AddSegment(s);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddSegment(Segment s)
    {
        // Walk from the upper end (smaller v) down. A row line's u is always evaluated from the upper end,
        // so the band that cuts a segment there does not change the value.
        bool down = s.V0 < s.V1;
        double uTop = down ? s.U0 : s.U1, vTop = down ? s.V0 : s.V1;
        double uBottom = down ? s.U1 : s.U0, vBottom = down ? s.V1 : s.V0;
        double top = _row0, bottom = _row0 + _rows;
        if (vBottom <= top || vTop >= bottom)
        {
            return;
        }

        double dudv = (uBottom - uTop) / (vBottom - vTop);
        double vStart = Math.Max(vTop, top);
        double vEnd = Math.Min(vBottom, bottom);
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

            // Vertices keep their exact coordinates, so pieces of adjacent segments meet exactly.
            double ua = va == vTop ? uTop : uTop + ((va - vTop) * dudv);
            double ub = vb == vBottom ? uBottom : uTop + ((vb - vTop) * dudv);
            AddRowPiece(r - _row0, ua, va - r, ub, vb - r, down);
        }
    }

    /// <summary>
    /// Adds the part of a segment within one row, from its upper point (ua, ya) to its lower point
    /// (ub, yb) in row-local y; <paramref name="down"/> tells whether the ring runs that way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddRowPiece(int bandRow, double ua, double ya, double ub, double yb, bool down)
    {
        double dv = down ? yb - ya : ya - yb; // signed height: positive where the ring runs toward +v
        bool leftToRight = ua <= ub;
        double xl = leftToRight ? ua : ub, yl = leftToRight ? ya : yb;
        double xr = leftToRight ? ub : ua, yr = leftToRight ? yb : ya;
        bool rightward = leftToRight == down; // the ring runs toward +u along this piece

        if (xr <= 0)
        {
            AddCover(bandRow, dv); // wholly left of the grid: covers the whole row to its right
            return;
        }

        if (xl >= _columns)
        {
            return; // right of the grid: covers nothing inside it
        }

        if (xl == xr)
        {
            int c = (int)Math.Floor(xl);
            double x = xl - c;
            Add(bandRow, c, dv * (1 - x), dv, down ? new CellPiece(x, ya, x, yb) : new CellPiece(x, yb, x, ya));
            return;
        }

        double width = xr - xl;
        double slope = (yr - yl) / width;
        double xa = xl, yCut = yl;
        if (xa < 0)
        {
            AddCover(bandRow, dv * (-xa / width));
            xa = 0;
            yCut = Math.Clamp(yl - (xl * slope), 0, 1);
        }

        double xEnd = Math.Min(xr, _columns);
        int col = (int)Math.Floor(xa);
        while (xa < xEnd)
        {
            double xb = Math.Min(col + 1, xEnd);
            double yNext = xb == xr ? yr : Math.Clamp(yl + ((xb - xl) * slope), 0, 1);
            double dvs = dv * ((xb - xa) / width);
            double xmid = (0.5 * (xa + xb)) - col;
            double x0 = xa - col, x1 = xb - col;
            Add(bandRow, col, dvs * (1 - xmid), dvs,
                rightward ? new CellPiece(x0, yCut, x1, yNext) : new CellPiece(x1, yNext, x0, yCut));
            xa = xb;
            yCut = yNext;
            col++;
        }
    }

    /// <summary>A horizontal segment covers nothing but bounds the cells it crosses (unless it lies on a row line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddHorizontal(double u0, double u1, double v)
    {
        double row = Math.Floor(v);
        if (row == v || row < _row0 || row >= _row0 + _rows)
        {
            return;
        }

        int bandRow = (int)row - _row0;
        double y = v - row;
        bool rightward = u0 < u1;
        double xa = Math.Max(Math.Min(u0, u1), 0);
        double xEnd = Math.Min(Math.Max(u0, u1), _columns);
        int col = (int)Math.Floor(xa);
        while (xa < xEnd)
        {
            double xb = Math.Min(col + 1, xEnd);
            double x0 = xa - col, x1 = xb - col;
            Add(bandRow, col, 0, 0, rightward ? new CellPiece(x0, y, x1, y) : new CellPiece(x1, y, x0, y));
            xa = xb;
            col++;
        }
    }

    /// <summary>Cover from the left of the grid: it enters the row at column 0 and has no piece inside the grid.</summary>
    private void AddCover(int bandRow, double dv) => Append(bandRow, 0, new Entry(dv, dv, default, HasPiece: false));

    private void Add(int bandRow, int col, double area, double cover, CellPiece piece) =>
        Append(bandRow, col, new Entry(area, cover, piece, HasPiece: true));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Append(int bandRow, int col, in Entry entry)
    {
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
        }

        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        long cell = ((long)bandRow * _columns) + col;
        _keys[_count] = (cell << 32) | (uint)_count;
        _entries[_count] = entry;
        _count++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildSpans(BandCoverage output)
    {
        output.Reset(_row0, _rows);
        SortKeys();
        int i = 0;
        while (i < _count)
        {
            long cell = _keys[i] >> 32;
            int bandRow = (int)(cell / _columns);
            long rowEnd = ((long)bandRow + 1) * _columns;
            output.StartRow(bandRow);
            double carry = 0;
            while (i < _count && (_keys[i] >> 32) < rowEnd)
            {
                cell = _keys[i] >> 32;
                int col = (int)(cell - (rowEnd - _columns));
                int first = i;
                double value = carry;
                for (; i < _count && (_keys[i] >> 32) == cell; i++)
                {
                    ref readonly Entry e = ref _entries[(int)_keys[i]];
                    value += e.Area;
                    carry += e.Cover;
                }

                double v = Snap(value);
                if (v == 1)
                {
                    output.AddWhole(col, col + 1);
                }
                else if (v > 0)
                {
                    for (int j = first; j < i; j++)
                    {
                        ref readonly Entry e = ref _entries[(int)_keys[j]];
                        if (e.HasPiece)
                        {
                            output.AddPiece(e.Piece);
                        }
                    }

                    output.AddPartial(col, v);
                }

                // Between boundary cells the winding number is constant over each cell: the carried cover
                // is 0 or 1, up to rounding.
                int next = i < _count && (_keys[i] >> 32) < rowEnd ? (int)((_keys[i] >> 32) - (rowEnd - _columns)) : _columns;
                if (next > col + 1 && carry > 0.5)
                {
                    output.AddWhole(col + 1, next);
                }
            }
        }

        output.Finish();
    }

    /// <summary>
    /// Sorts the keys by cell, keeping ring order within a cell. Keys are made in ring order, so a stable
    /// radix sort on the cell index alone (least significant digit first) gives the same order as a
    /// comparison sort of the whole keys, in linear time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SortKeys()
    {
        const int SmallSort = 256;
        if (_count < SmallSort)
        {
            Array.Sort(_keys, 0, _count);
            return;
        }

        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)_rows * (ulong)_columns);
        int passes = (bits + 10) / 11;
        int digitBits = (bits + passes - 1) / passes;
        int radix = 1 << digitBits;
        if (_digitCounts.Length < radix)
        {
            _digitCounts = new int[radix];
        }

        if (_sortBuffer.Length < _count)
        {
            _sortBuffer = new long[_count * 2];
        }

        long[] from = _keys, to = _sortBuffer;
        for (int pass = 0; pass < passes; pass++)
        {
            int shift = 32 + (pass * digitBits);
            long mask = radix - 1;
            Span<int> counts = _digitCounts.AsSpan(0, radix);
            counts.Clear();
            for (int i = 0; i < _count; i++)
            {
                counts[(int)((from[i] >> shift) & mask)]++;
            }

            int sum = 0;
            for (int d = 0; d < radix; d++)
            {
                int c = counts[d];
                counts[d] = sum;
                sum += c;
            }

            for (int i = 0; i < _count; i++)
            {
                long key = from[i];
                to[counts[(int)((key >> shift) & mask)]++] = key;
            }

            (from, to) = (to, from);
        }

        if (!ReferenceEquals(from, _keys))
        {
            (_keys, _sortBuffer) = (_sortBuffer, _keys);
        }
    }

    private static double Snap(double v)
    {
        if (v < Epsilon)
        {
            return 0;
        }

        return v > 1 - Epsilon ? 1 : v;
    }

    /// <summary>What one piece adds: the area to its right in its cell, the cover carried further right, and the piece.</summary>
    private readonly record struct Entry(double Area, double Cover, CellPiece Piece, bool HasPiece);
}
