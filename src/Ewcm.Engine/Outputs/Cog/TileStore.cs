using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ewcm.Engine.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>
/// Compressed tiles of every level of one COG. Full-resolution tiles go straight into the file that becomes
/// the COG (<see cref="Main"/>); overview tiles are appended to a temporary file in whatever order they are
/// finished, their offsets kept so the final file can place them in COG order. Thread-safe.
/// </summary>
internal sealed class TileStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly (long Offset, int Length)[][] _tiles;
    private readonly Dictionary<ulong, byte[]> _constantTiles = [];
    private long _length;
    private volatile SafeFileHandle? _handle;

    /// <param name="path">Temporary file for the overviews (created, replaced if it exists).</param>
    /// <param name="mainPath">The file that becomes the COG (created, replaced if it exists).</param>
    /// <param name="tileCounts">Number of tiles of each level, full resolution first.</param>
    /// <exception cref="EwcmException">A file cannot be created.</exception>
    internal TileStore(string path, string mainPath, IReadOnlyList<int> tileCounts)
    {
        Path = path;
        _tiles = [[], .. tileCounts.Skip(1).Select(n => Enumerable.Repeat((-1L, 0), n).ToArray())];
        Main = new OrderedTileFile(mainPath, tileCounts[0]);
        try
        {
            _file = TemporaryFiles.CreateNew(path, 1 << 20);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Main.Dispose();
            TemporaryFiles.DeleteQuietly(mainPath); // nothing left behind
            throw new EwcmException($"{path}: cannot create the temporary tile file: {e.Message}", e);
        }
    }

    /// <summary>The temporary file of the overview tiles.</summary>
    internal string Path { get; }

    /// <summary>The full-resolution tiles, in the file that becomes the COG.</summary>
    internal OrderedTileFile Main { get; }

    /// <summary>
    /// Compressed bytes of tile <paramref name="index"/> (row-major) of level <paramref name="level"/>: for
    /// overviews, where they are in the temporary file (offset −1 when never stored); for full resolution, in
    /// <see cref="Main"/> (see <see cref="OrderedTileFile.Tile"/>).
    /// </summary>
    internal (long Offset, int Length) Tile(int level, int index) => level == 0 ? Main.Tile(index) : _tiles[level][index];

    /// <summary>
    /// DEFLATE-compresses a tile (zlib stream, TIFF Compression 8, <see cref="SampleRunDeflate"/>) and stores it as
    /// tile <paramref name="index"/> of level <paramref name="level"/>. The tile is read in place:
    /// <see cref="PyramidLevel{T}.TileSize"/> rows of as many samples, <paramref name="stride"/> samples apart in
    /// <paramref name="source"/>. A non-null <paramref name="constantKey"/> says the tile holds one repeated value
    /// with that key: such tiles are compressed once per writer. The compressor looks for runs of one sample of
    /// <typeparamref name="T"/>.
    /// </summary>
    internal void Add<T>(int level, int index, ReadOnlySpan<T> source, int stride, ulong? constantKey)
        where T : unmanaged
    {
        ReadOnlySpan<byte> raw = MemoryMarshal.AsBytes(source);
        int sampleBytes = Unsafe.SizeOf<T>();
        const int side = PyramidLevel<T>.TileSize;
        if (constantKey is ulong key)
        {
            byte[]? bytes;
            lock (_gate)
            {
                _constantTiles.TryGetValue(key, out bytes);
            }

            if (bytes is null)
            {
                bytes = SampleRunDeflate.Compress(raw, side * sampleBytes, stride * sampleBytes, side, sampleBytes).ToArray();
                lock (_gate)
                {
                    _constantTiles.TryAdd(key, bytes);
                }
            }

            Append(level, index, bytes);
        }
        else
        {
            Append(level, index, SampleRunDeflate.Compress(raw, side * sampleBytes, stride * sampleBytes, side, sampleBytes));
        }
    }

    /// <summary>Reads overview bytes back from the temporary file (after all tiles were added); thread-safe (positional reads).</summary>
    internal void Read(long offset, Span<byte> destination)
    {
        SafeFileHandle? handle = _handle;
        if (handle is null)
        {
            lock (_gate)
            {
                // Once: FileStream's handle getter also moves the file position, a system call each time.
                _file.Flush();
                handle = _handle = _file.SafeFileHandle;
            }
        }

        int read = RandomAccess.Read(handle, destination, offset);
        if (read != destination.Length)
        {
            throw new EwcmException($"{Path}: the temporary tile file is shorter than written.");
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        Main.Dispose();
    }

    private void Append(int level, int index, ReadOnlySpan<byte> compressed)
    {
        if (level == 0)
        {
            Main.Add(index, compressed);
            return;
        }

        lock (_gate)
        {
            try
            {
                _file.Write(compressed);
            }
            catch (IOException e)
            {
                throw new EwcmException($"{Path}: cannot write the temporary tile file (disk full?): {e.Message}", e);
            }

            _tiles[level][index] = (_length, compressed.Length);
            _length += compressed.Length;
        }
    }
}
