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
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly (long Offset, int Length)[] _tiles;
    private readonly Dictionary<int, byte[]> _early = [];
    private int _next;
    private long _length;
    private SafeFileHandle? _handle;

    /// <param name="path">The file to create (replaced if it exists).</param>
    /// <param name="tileCount">Tiles of the level.</param>
    /// <exception cref="EwcmException">The file cannot be created.</exception>
    internal OrderedTileFile(string path, int tileCount)
    {
        Path = path;
        _tiles = new (long, int)[tileCount];
        try
        {
            _file = TemporaryFiles.CreateNew(path, 1 << 20);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EwcmException($"{path}: cannot create the raster file: {e.Message}", e);
        }
    }

    internal string Path { get; }

    /// <summary>Bytes written: every tile with its leader and trailer.</summary>
    internal long Length => _length;

    /// <summary>Whether every tile was written.</summary>
    internal bool IsComplete => _next == _tiles.Length;

    /// <summary>Tile <paramref name="index"/>'s data (after its leader), as an offset from the first tile's leader.</summary>
    internal (long Offset, int Length) Tile(int index) => _tiles[index];

    /// <summary>Writes tile <paramref name="index"/> (compressed) now if its turn has come, else when it has.</summary>
    /// <exception cref="EwcmException">The file cannot be written (disk full?).</exception>
    internal void Add(int index, ReadOnlySpan<byte> compressed)
    {
        lock (_gate)
        {
            if (_handle is not null)
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

    /// <summary>The file, with everything written so far on it, for positional reads and writes.</summary>
    internal SafeFileHandle Flushed()
    {
        lock (_gate)
        {
            // Once: FileStream's handle getter also moves the file position, a system call each time.
            if (_handle is null)
            {
                _file.Flush();
                _handle = _file.SafeFileHandle;
            }

            return _handle;
        }
    }

    public void Dispose() => _file.Dispose();

    private void WriteLocked(ReadOnlySpan<byte> compressed)
    {
        Span<byte> leader = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(leader, (uint)compressed.Length);
        try
        {
            _file.Write(leader);
            _file.Write(compressed);
            _file.Write(compressed[^4..]);
        }
        catch (IOException e)
        {
            throw new EwcmException($"{Path}: cannot write the raster (disk full?): {e.Message}", e);
        }

        _tiles[_next++] = (_length + 4, compressed.Length);
        _length += compressed.Length + 8;
    }
}
