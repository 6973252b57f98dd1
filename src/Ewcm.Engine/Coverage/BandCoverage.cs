using System.Runtime.CompilerServices;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// Exact coverage of one geometry, or of a union of geometries, over a band of grid rows, as sorted,
/// disjoint spans per row. Cells [Start, End) of a row are covered by the fraction Value: whole runs have
/// Value 1, and a span with Value below 1 is always a single <em>partial cell</em>, which carries the
/// geometries partial there (<see cref="PartsOf"/>) so that areas of combinations can be computed
/// exactly in that cell. Uncovered cells have no span.
/// </summary>
/// <remarks>
/// Instances are refilled band after band (by <see cref="BandRasterizer"/> or <see cref="CoverageUnion"/>);
/// their buffers only grow, so a band costs no allocation once the largest band has been seen. The
/// builder methods are called millions of times in a run of seconds: they skip tier-0 compilation.
/// </remarks>
public sealed class BandCoverage
{
    private int[] _rowOffsets = new int[1];
    private int[] _start = new int[16];
    private int[] _end = new int[16];
    private double[] _value = new double[16];
    private int[] _partOffsets = new int[17];
    private PartialCell[] _parts = new PartialCell[16];
    private int[] _pieceOffsets = new int[17];
    private CellPiece[] _pieces = new CellPiece[16];
    private int _count;
    private int _partCount;
    private int _pieceCount;
    private int _rowsStarted;

    /// <summary>First grid row of the band.</summary>
    public int Row0 { get; private set; }

    /// <summary>Number of rows in the band.</summary>
    public int Rows { get; private set; }

    /// <summary>Number of spans over the whole band.</summary>
    public int SpanCount => _count;

    /// <summary>Spans of band row i are indices RowOffsets[i] .. RowOffsets[i+1]-1.</summary>
    public ReadOnlySpan<int> RowOffsets => _rowOffsets.AsSpan(0, Rows + 1);

    /// <summary>First column of each span.</summary>
    public ReadOnlySpan<int> Start => _start.AsSpan(0, _count);

    /// <summary>Column after the last of each span.</summary>
    public ReadOnlySpan<int> End => _end.AsSpan(0, _count);

    /// <summary>Covered fraction of each cell of the span: 1, or the exact fraction of a partial cell.</summary>
    public ReadOnlySpan<double> Value => _value.AsSpan(0, _count);

    /// <summary>The geometries partial in the cell of partial span <paramref name="span"/> (none for whole spans).</summary>
    public ReadOnlySpan<PartialCell> PartsOf(int span) =>
        _parts.AsSpan(_partOffsets[span], _partOffsets[span + 1] - _partOffsets[span]);

    /// <summary>Writes the coverage of band row <paramref name="bandRow"/> densely into <paramref name="row"/>: every cell, 0 outside the spans.</summary>
    public void FillRow(int bandRow, Span<float> row)
    {
        int column = 0;
        for (int k = _rowOffsets[bandRow]; k < _rowOffsets[bandRow + 1]; k++)
        {
            row[column.._start[k]].Clear();
            row[_start[k].._end[k]].Fill((float)_value[k]);
            column = _end[k];
        }

        row[column..].Clear();
    }

    /// <summary>
    /// Writes the coverage of band row <paramref name="bandRow"/> into <paramref name="row"/> (every cell, 0
    /// outside the spans) as bytes quantized by <see cref="ByteQuantizer"/>: what a Byte raster of the dense
    /// fractions would hold, without the float row (one quantization per span instead of one per cell).
    /// </summary>
    public void FillRow(int bandRow, Span<byte> row, float quantum)
    {
        int column = 0;
        for (int k = _rowOffsets[bandRow]; k < _rowOffsets[bandRow + 1]; k++)
        {
            row[column.._start[k]].Clear();
            row[_start[k].._end[k]].Fill(ByteQuantizer.Quantize((float)_value[k], quantum));
            column = _end[k];
        }

        row[column..].Clear();
    }

    internal double ValueAt(int span) => _value[span];

    // Raw buffers for the merge loops of CoverageUnion (valid up to SpanCount).
    internal int[] StartBuffer => _start;

    internal int[] EndBuffer => _end;

    internal double[] ValueBuffer => _value;

    internal int[] RowOffsetBuffer => _rowOffsets;

    internal ReadOnlySpan<CellPiece> PiecesOf(int span) =>
        _pieces.AsSpan(_pieceOffsets[span], _pieceOffsets[span + 1] - _pieceOffsets[span]);

    /// <summary>Empties the coverage and sets its band; rows are then filled in order.</summary>
    internal void Reset(int row0, int rows)
    {
        Row0 = row0;
        Rows = rows;
        if (_rowOffsets.Length < rows + 1)
        {
            _rowOffsets = new int[rows + 1];
        }

        _count = 0;
        _partCount = 0;
        _pieceCount = 0;
        _rowsStarted = 0;
        _partOffsets[0] = 0;
        _pieceOffsets[0] = 0;
    }

    /// <summary>Starts band row <paramref name="bandRow"/>: later spans belong to it (rows in ascending order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void StartRow(int bandRow)
    {
        while (_rowsStarted <= bandRow)
        {
            _rowOffsets[_rowsStarted++] = _count;
        }
    }

    /// <summary>Closes the band after its last row.</summary>
    internal void Finish() => StartRow(Rows);

    /// <summary>Adds whole cells [start, end) of the current row, merged with a whole span just before them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddWhole(int start, int end)
    {
        int last = _count - 1;
        if (last >= _rowOffsets[_rowsStarted - 1] && _end[last] == start && _value[last] == 1)
        {
            _end[last] = end;
            return;
        }

        AddSpan(start, end, 1);
    }

    /// <summary>Adds a piece of boundary to the next partial cell of a rasterized geometry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddPiece(in CellPiece piece)
    {
        if (_pieceCount == _pieces.Length)
        {
            Array.Resize(ref _pieces, _pieceCount * 2);
        }

        _pieces[_pieceCount++] = piece;
    }

    /// <summary>Adds a geometry partial in the next partial cell of a union.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddPart(in PartialCell part)
    {
        if (_partCount == _parts.Length)
        {
            Array.Resize(ref _parts, _partCount * 2);
        }

        _parts[_partCount++] = part;
    }

    /// <summary>
    /// Adds the partial cell <paramref name="column"/> of the current row with the pieces or parts added
    /// since the previous span. A cell given pieces (a rasterized geometry) is its own part.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddPartial(int column, double fraction)
    {
        int span = _count;
        bool geometryCell = _partCount == _partOffsets[span];
        AddSpan(column, column + 1, fraction);
        if (geometryCell)
        {
            AddPart(new PartialCell(this, span));
            _partOffsets[span + 1] = _partCount;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddSpan(int start, int end, double value)
    {
        if (_count == _start.Length)
        {
            int n = _count * 2;
            Array.Resize(ref _start, n);
            Array.Resize(ref _end, n);
            Array.Resize(ref _value, n);
            Array.Resize(ref _partOffsets, n + 1);
            Array.Resize(ref _pieceOffsets, n + 1);
        }

        _start[_count] = start;
        _end[_count] = end;
        _value[_count] = value;
        _count++;
        _partOffsets[_count] = _partCount;
        _pieceOffsets[_count] = _pieceCount;
    }
}
