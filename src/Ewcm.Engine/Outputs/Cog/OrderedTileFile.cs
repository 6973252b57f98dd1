using System.Buffers.Binary;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Posix;
using Microsoft.Win32.SafeHandles;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>
/// The full-resolution tiles of a COG, written straight into the file that becomes the COG: from offset 0, in
/// the COG's order (row-major), each with GDAL's leader (its size) and trailer (its last 4 bytes again). At
/// the end a gap is opened in front of them for the directories and the overviews
/// (<see cref="TryMakeRoomInFront"/>), so the largest level is written once and never copied. Tiles that
/// arrive before their turn (another thread still on an earlier tile row) wait in memory. Thread-safe.
/// </summary>
internal sealed class OrderedTileFile : IDisposable
{
    /// <summary>
    /// Written bytes handed to the disk at a time (<see cref="FileSpace.StartWriteback"/>): opening the gap
    /// first writes out whatever is still only in memory, so the disk works on it while the overlay runs.
    /// </summary>
    private const long WritebackBytes = 32 << 20;

    private readonly Lock _gate = new();
    private readonly SafeFileHandle _file;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly (long Offset, int Length)[] _tiles;
    private readonly Dictionary<int, byte[]> _early = [];
    private int _next;
    private int _buffered;
    private long _onFile;
    private long _handedToDisk;
    private bool _sealed;

    /// <param name="path">The file to create (replaced if it exists).</param>
    /// <param name="tileCount">Tiles of the level.</param>
    /// <exception cref="EwcmException">The file cannot be created.</exception>
    internal OrderedTileFile(string path, int tileCount)
    {
        Path = path;
        _tiles = new (long, int)[tileCount];
        try
        {
            _file = TemporaryFiles.CreateNewHandle(path, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EwcmException($"{path}: cannot create the raster file: {e.Message}", e);
        }
    }

    internal string Path { get; }

    /// <summary>Bytes written: every tile with its leader and trailer.</summary>
    internal long Length { get; private set; }

    /// <summary>Whether every tile was written.</summary>
    internal bool IsComplete => _next == _tiles.Length;

    /// <summary>Tile <paramref name="index"/>'s data (after its leader), as an offset from the first tile's leader.</summary>
    internal (long Offset, int Length) Tile(int index) => _tiles[index];

    /// <summary>Writes tile <paramref name="index"/> (compressed) now if its turn has come, else when it has.</summary>
    /// <exception cref="EwcmException">The file cannot be written (disk full?).</exception>
    internal void Add(int index, ReadOnlySpan<byte> compressed)
    {
        (long From, long Length) writeback = default;
        lock (_gate)
        {
            if (_sealed)
            {
                throw new InvalidOperationException($"{Path}: tile {index} came after the file was completed.");
            }

            if (index < _next || _early.ContainsKey(index))
            {
                throw new InvalidOperationException($"{Path}: tile {index} was already stored.");
            }

            if (index != _next)
            {
                _early.Add(index, compressed.ToArray());
                return;
            }

            WriteLocked(compressed);
            while (_early.Remove(_next, out byte[]? waiting))
            {
                WriteLocked(waiting);
            }

            if (_onFile - _handedToDisk >= WritebackBytes)
            {
                writeback = (_handedToDisk, _onFile - _handedToDisk);
                _handedToDisk = _onFile;
            }
        }

        if (writeback.Length > 0)
        {
            FileSpace.StartWriteback(_file, writeback.From, writeback.Length);
        }
    }

    /// <summary>
    /// Moves every tile <paramref name="bytes"/> further into the file (a multiple of <see cref="FileSpace.Block"/>),
    /// leaving zeros in front, without copying; false, and the file unchanged, where the file system cannot.
    /// </summary>
    internal bool TryMakeRoomInFront(long bytes) => FileSpace.TryInsertRange(Flushed(), 0, bytes);

    /// <summary>Reads written bytes back (from the first tile's leader on).</summary>
    internal void Read(long offset, Span<byte> destination)
    {
        if (RandomAccess.Read(Flushed(), destination, offset) != destination.Length)
        {
            throw new EwcmException($"{Path}: the raster file is shorter than written.");
        }
    }

    /// <summary>The file, with every tile on it, for positional reads and writes; no tile can be added after.</summary>
    internal SafeFileHandle Flushed()
    {
        lock (_gate)
        {
            _sealed = true;
            FlushLocked();
            return _file;
        }
    }

    public void Dispose() => _file.Dispose();

    private void WriteLocked(ReadOnlySpan<byte> compressed)
    {
        Span<byte> leader = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(leader, (uint)compressed.Length);
        Put(leader);
        Put(compressed);
        Put(compressed[^4..]);
        _tiles[_next++] = (Length + 4, compressed.Length);
        Length += compressed.Length + 8;
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        if (_buffered + bytes.Length > _buffer.Length)
        {
            FlushLocked();
            if (bytes.Length >= _buffer.Length)
            {
                WriteAt(bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
    }

    private void FlushLocked()
    {
        WriteAt(_buffer.AsSpan(0, _buffered));
        _buffered = 0;
    }

    private void WriteAt(ReadOnlySpan<byte> bytes)
    {
        try
        {
            RandomAccess.Write(_file, bytes, _onFile);
        }
        catch (IOException e)
        {
            throw new EwcmException($"{Path}: cannot write the raster (disk full?): {e.Message}", e);
        }

        _onFile += bytes.Length;
    }
}
