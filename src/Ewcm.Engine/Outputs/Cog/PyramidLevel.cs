namespace Ewcm.Engine.Outputs.Cog;

/// <summary>Converts (or copies) rows of <typeparamref name="TSource"/> into <typeparamref name="TTarget"/>.</summary>
internal delegate void RowConverter<TSource, TTarget>(ReadOnlySpan<TSource> source, Span<TTarget> target);

/// <summary>
/// One level of a COG's pyramid (full resolution or an overview). Rows arrive in any order from several
/// threads and are buffered per tile row; when a tile row has all its rows, the thread that completed it
/// compresses its tiles into the <see cref="TileStore"/> and averages it 2×2 into the next level's rows.
/// Only tile rows in progress are held in memory.
/// </summary>
internal sealed class PyramidLevel<T>
    where T : unmanaged
{
    /// <summary>Tile width and height of every level (GDAL's COG default).</summary>
    internal const int TileSize = 512;

    private readonly Lock _gate = new();
    private readonly ICogSamples<T> _samples;
    private readonly TileStore _store;
    private readonly PyramidLevel<T>? _next;
    private readonly Dictionary<int, TileRow> _open = [];
    private readonly bool[] _finished;
    private readonly Stack<T[]> _spare = new();

    internal PyramidLevel(int index, int width, int height, ICogSamples<T> samples, TileStore store, PyramidLevel<T>? next)
    {
        Index = index;
        Width = width;
        Height = height;
        _samples = samples;
        _store = store;
        _next = next;
        _finished = new bool[TilesDown];
    }

    internal int Index { get; }

    internal int Width { get; }

    internal int Height { get; }

    internal int TilesAcross => (Width + TileSize - 1) / TileSize;

    internal int TilesDown => (Height + TileSize - 1) / TileSize;

    /// <summary>Levels as GDAL's OVERVIEWS=AUTO makes them: halve (rounding up) until the level fits in one tile.</summary>
    internal static List<(int Width, int Height)> Sizes(int width, int height)
    {
        var sizes = new List<(int, int)> { (width, height) };
        while (width > TileSize || height > TileSize)
        {
            width = (width + 1) / 2;
            height = (height + 1) / 2;
            sizes.Add((width, height));
        }

        return sizes;
    }

    /// <summary>Stores full-width rows [row0, row0 + rowCount). Thread-safe.</summary>
    /// <exception cref="InvalidOperationException">A row's tile row was already completed and compressed.</exception>
    internal void Write(int row0, int rowCount, ReadOnlySpan<T> data) => Write(row0, rowCount, data, static (source, target) => source.CopyTo(target));

    /// <summary>Stores full-width rows given in another type, <paramref name="convert"/> writing them straight into the tile-row buffer. Thread-safe.</summary>
    internal void Write<TSource>(int row0, int rowCount, ReadOnlySpan<TSource> data, RowConverter<TSource, T> convert)
    {
        int row = row0;
        int end = row0 + rowCount;
        while (row < end)
        {
            int tileRow = row / TileSize;
            int stop = Math.Min(end, (tileRow + 1) * TileSize);
            TileRow buffer = Acquire(tileRow, row, stop - row);
            // Threads fill their own rows of the shared buffer without the lock; a row counts once filled.
            convert(data.Slice((row - row0) * Width, (stop - row) * Width), buffer.Data.AsSpan((row - (tileRow * TileSize)) * Width, (stop - row) * Width));
            Commit(tileRow, buffer, row, stop - row);
            row = stop;
        }
    }

    /// <summary>
    /// Rows [<paramref name="row0"/>, <paramref name="row0"/> + <paramref name="rowCount"/>) of their tile row's
    /// buffer, for the caller to fill in place (no copy) and then <see cref="RowLease.Commit"/>; null when
    /// they span two tile rows. Thread-safe.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tile row was already completed and compressed.</exception>
    internal RowLease? Lease(int row0, int rowCount)
    {
        int tileRow = row0 / TileSize;
        if ((row0 + rowCount - 1) / TileSize != tileRow)
        {
            return null;
        }

        return new RowLease(this, tileRow, Acquire(tileRow, row0, rowCount), row0, rowCount);
    }

    /// <summary>
    /// Receives rows [row0, row0 + rowCount) as the 2×2 average of <paramref name="sourceRows"/> rows of the
    /// level above, averaged straight into this level's buffer; they always lie within one tile row.
    /// </summary>
    private void ReceiveReduced(int row0, int rowCount, T[] source, int sourceWidth, int sourceRows)
    {
        int tileRow = row0 / TileSize;
        TileRow buffer = Acquire(tileRow, row0, rowCount);
        _samples.Reduce(source.AsSpan(0, sourceRows * sourceWidth), sourceWidth, sourceRows,
            buffer.Data.AsSpan((row0 - (tileRow * TileSize)) * Width, rowCount * Width), Width);
        Commit(tileRow, buffer, row0, rowCount);
    }

    /// <summary>Completes every unfinished tile row (missing rows read as the fill value), then the next levels'.</summary>
    internal void FinishRemaining()
    {
        for (int tileRow = 0; tileRow < TilesDown; tileRow++)
        {
            TileRow? pending = null;
            lock (_gate)
            {
                if (!_finished[tileRow])
                {
                    pending = OpenLocked(tileRow);
                    _finished[tileRow] = true;
                    _open.Remove(tileRow);
                }
            }

            if (pending is not null)
            {
                for (int r = 0; r < RowsIn(tileRow); r++)
                {
                    if (!pending.Received[r])
                    {
                        pending.Data.AsSpan(r * Width, Width).Fill(_samples.Fill);
                    }
                }

                Finish(tileRow, pending);
            }
        }

        _next?.FinishRemaining();
    }

    private TileRow Acquire(int tileRow, int row0, int rowCount)
    {
        lock (_gate)
        {
            if (_finished[tileRow])
            {
                throw new InvalidOperationException($"Rows {row0}..{row0 + rowCount - 1} belong to tile row {tileRow}, which was already complete and compressed.");
            }

            return OpenLocked(tileRow);
        }
    }

    /// <summary>Counts rows as received; the thread that completes the tile row finishes it.</summary>
    private void Commit(int tileRow, TileRow buffer, int row0, int rowCount)
    {
        bool complete;
        lock (_gate)
        {
            for (int r = row0 - (tileRow * TileSize); r < row0 - (tileRow * TileSize) + rowCount; r++)
            {
                if (!buffer.Received[r])
                {
                    buffer.Received[r] = true;
                    buffer.Count++;
                }
            }

            complete = buffer.Count == RowsIn(tileRow) && !_finished[tileRow];
            if (complete)
            {
                _finished[tileRow] = true;
                _open.Remove(tileRow);
            }
        }

        if (complete)
        {
            Finish(tileRow, buffer);
        }
    }

    private TileRow OpenLocked(int tileRow)
    {
        if (!_open.TryGetValue(tileRow, out TileRow? buffer))
        {
            // Not filled here (under the lock, 512 full rows): every row is overwritten when it arrives, and
            // rows that never arrive are filled by FinishRemaining.
            T[] data = _spare.Count > 0 ? _spare.Pop() : new T[TileSize * Width];
            buffer = new TileRow(data);
            _open.Add(tileRow, buffer);
        }

        return buffer;
    }

    private int RowsIn(int tileRow) => Math.Min(TileSize, Height - (tileRow * TileSize));

    private void Finish(int tileRow, TileRow buffer)
    {
        int rows = RowsIn(tileRow);
        for (int tileColumn = 0; tileColumn < TilesAcross; tileColumn++)
        {
            int column0 = tileColumn * TileSize;
            int columns = Math.Min(TileSize, Width - column0);
            int index = (tileRow * TilesAcross) + tileColumn;
            if (columns == TileSize && rows == TileSize)
            {
                // Compressed where it lies in the tile row: no copy of the tile.
                ReadOnlySpan<T> source = buffer.Data.AsSpan(column0, ((TileSize - 1) * Width) + TileSize);
                _store.Add(Index, index, source, Width, _samples.IsConstant(source, Width, out ulong key) ? key : null);
                continue;
            }

            // Edge tiles are padded with the fill value, which compresses to almost nothing.
            T[] tile = t_tile ??= new T[TileSize * TileSize];
            for (int r = 0; r < TileSize; r++)
            {
                Span<T> target = tile.AsSpan(r * TileSize, TileSize);
                if (r < rows)
                {
                    buffer.Data.AsSpan((r * Width) + column0, columns).CopyTo(target);
                    target[columns..].Fill(_samples.Fill);
                }
                else
                {
                    target.Fill(_samples.Fill);
                }
            }

            _store.Add<T>(Index, index, tile, TileSize, _samples.IsConstant(tile, TileSize, out ulong edgeKey) ? edgeKey : null);
        }

        if (_next is not null)
        {
            _next.ReceiveReduced(tileRow * (TileSize / 2), (rows + 1) / 2, buffer.Data, Width, rows);
        }

        lock (_gate)
        {
            if (_spare.Count < 4)
            {
                _spare.Push(buffer.Data);
            }
        }
    }

    /// <summary>One tile's scratch per thread (and sample type), reused for every tile it compresses.</summary>
    [ThreadStatic]
    private static T[]? t_tile;

    /// <summary>Rows of a tile-row buffer lent by <see cref="Lease"/>; every cell must be written before <see cref="Commit"/>.</summary>
    internal sealed class RowLease
    {
        private readonly PyramidLevel<T> _level;
        private readonly int _tileRow;
        private readonly TileRow _buffer;
        private readonly int _row0;
        private readonly int _rowCount;

        internal RowLease(PyramidLevel<T> level, int tileRow, TileRow buffer, int row0, int rowCount)
        {
            _level = level;
            _tileRow = tileRow;
            _buffer = buffer;
            _row0 = row0;
            _rowCount = rowCount;
        }

        /// <summary>The rows, full width, row-major.</summary>
        internal Memory<T> Rows => _buffer.Data.AsMemory((_row0 - (_tileRow * TileSize)) * _level.Width, _rowCount * _level.Width);

        /// <summary>Counts the rows as received (compressing the tile row when it is the last of it).</summary>
        internal void Commit() => _level.Commit(_tileRow, _buffer, _row0, _rowCount);
    }

    internal sealed class TileRow(T[] data)
    {
        internal T[] Data { get; } = data;

        internal bool[] Received { get; } = new bool[TileSize];

        internal int Count { get; set; }
    }
}
