using System.IO.Compression;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Ewcm.Bench.Data;
using Ewcm.Bench.Reporting;
using Ewcm.Engine.Coverage;
using Ewcm.Engine.Outputs.Cog;
using Ewcm.Engine.Overlay;

namespace Ewcm.Bench.Outputs;

/// <summary>
/// Compressing the raster outputs' 512 × 512 tiles, most of the cost of a run's rasters: the engine's own
/// DEFLATE (<see cref="SampleRunDeflate"/>, runs of one sample and Huffman codes fitted to the tile) against
/// zlib-ng level 1 (.NET's fastest, the engine's until 2026-12-06), libdeflate level 1 (the DEFLATE GDAL
/// decodes with) and ZSTD level 1 (a TIFF compression GDAL also reads), on the tiles the overlay kernel
/// writes for a synthetic country: uncovered people (Float32) and the "at least 2G" fraction (bytes).
/// </summary>
/// <remarks>
/// Evidence for the choice of codec (docs/benchmarks.md, "Second round"). libdeflate and libzstd are
/// installed with GDAL on Debian; the setup says which is missing. Each codec's output is decompressed and
/// compared with the tiles before anything is measured; the log's `// checked:` line gives the sizes.
/// </remarks>
[Config(typeof(CellThroughputConfig))]
public class TileCompressionBenchmarks : ICellCounted
{
    private const int Size = 2048;
    private const int Tile = 512;
    private byte[][] _tiles = [];
    private byte[] _output = [];
    private IntPtr _compressor;
    private static readonly MemoryStream ZlibOutput = new(); // one benchmark runs at a time

    public enum TileCodec
    {
        SampleRun,
        ZlibNg1,
        Libdeflate1,
        Zstd1,
    }

    public enum TileKind
    {
        People,
        Coverage,
    }

    [Params(TileCodec.SampleRun, TileCodec.ZlibNg1, TileCodec.Libdeflate1, TileCodec.Zstd1)]
    public TileCodec Codec { get; set; }

    [Params(TileKind.People, TileKind.Coverage)]
    public TileKind Kind { get; set; }

    public long CellsPerInvoke => (long)Size * Size; // every tile of the grid

    [GlobalSetup]
    public void Setup()
    {
        _tiles = KernelTiles(Kind);
        _output = new byte[(_tiles[0].Length * 2) + 1024];
        _compressor = Codec switch
        {
            TileCodec.Libdeflate1 => Native.libdeflate_alloc_compressor(1),
            TileCodec.Zstd1 => Native.ZSTD_createCCtx(),
            _ => IntPtr.Zero,
        };
        long raw = 0, packed = 0;
        foreach (byte[] tile in _tiles)
        {
            byte[] compressed = Compress(tile).ToArray();
            if (!Decompress(compressed, tile.Length).AsSpan().SequenceEqual(tile))
            {
                throw new InvalidOperationException($"{Codec} did not give the {Kind} tile back.");
            }

            raw += tile.Length;
            packed += compressed.Length;
        }

        Console.WriteLine($"// checked: {Codec}, {Kind}: {_tiles.Length} tiles decompress to themselves; {raw / 1048576.0:F1} MiB -> {packed / 1048576.0:F2} MiB ({100.0 * packed / raw:F1} %)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_compressor != IntPtr.Zero)
        {
            if (Codec == TileCodec.Libdeflate1)
            {
                Native.libdeflate_free_compressor(_compressor);
            }
            else
            {
                Native.ZSTD_freeCCtx(_compressor);
            }

            _compressor = IntPtr.Zero;
        }
    }

    [Benchmark]
    public long CompressTiles()
    {
        long bytes = 0;
        foreach (byte[] tile in _tiles)
        {
            bytes += Compress(tile).Length;
        }

        return bytes;
    }

    private ReadOnlySpan<byte> Compress(byte[] tile)
    {
        switch (Codec)
        {
            case TileCodec.SampleRun:
                return SampleRunDeflate.Compress(tile, Kind == TileKind.People ? sizeof(float) : 1);
            case TileCodec.ZlibNg1:
                return ZlibNg1(tile);
            case TileCodec.Libdeflate1:
                return _output.AsSpan(0, (int)Native.libdeflate_zlib_compress(_compressor, tile, (nuint)tile.Length, _output, (nuint)_output.Length));
            default:
                nuint n = Native.ZSTD_compressCCtx(_compressor, _output, (nuint)_output.Length, tile, (nuint)tile.Length, 1);
                return Native.ZSTD_isError(n) != 0 ? throw new InvalidOperationException("ZSTD failed.") : _output.AsSpan(0, (int)n);
        }
    }

    /// <summary>
    /// zlib-ng level 1 through .NET (CompressionLevel.Fastest): the engine's DEFLATE until 2026-12-06, with its
    /// output stream reused as the engine reused it (a new 512 KB stream per tile would be measured too).
    /// </summary>
    private static ReadOnlySpan<byte> ZlibNg1(byte[] tile)
    {
        MemoryStream output = ZlibOutput;
        output.SetLength(0);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(tile);
        }

        return output.GetBuffer().AsSpan(0, (int)output.Length);
    }

    /// <summary>Decompressed independently of the compressor: zlib streams (both DEFLATEs) through .NET, ZSTD through libzstd.</summary>
    private byte[] Decompress(byte[] compressed, int length)
    {
        var tile = new byte[length];
        if (Codec == TileCodec.Zstd1)
        {
            nuint n = Native.ZSTD_decompress(tile, (nuint)length, compressed, (nuint)compressed.Length);
            return Native.ZSTD_isError(n) == 0 && (int)n == length ? tile : [];
        }

        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        zlib.ReadExactly(tile);
        return tile;
    }

    /// <summary>The kernel's output rows for a synthetic country, cut into 512 × 512 tiles (bytes as stored).</summary>
    private static byte[][] KernelTiles(TileKind kind)
    {
        const int bandHeight = 256;
        var country = new SyntheticCountry(Size, seed: 5);
        var edges = new EdgeBuckets(country.Model.AllGeometries(), Size, bandHeight);
        var processor = new BandProcessor(country.Model, edges);
        var people = new float[Size * Size];
        var levels = new QuantizedLevels([.. country.Model.TechnologyLevels.Select(_ => (Memory<byte>)new byte[bandHeight * Size])], 1f / 250);
        var coverage = new byte[Size * Size];
        for (int b = 0; b < edges.BandCount; b++)
        {
            int cells = bandHeight * Size;
            processor.Process(b, country.Population.AsSpan(b * cells, cells), people.AsSpan(b * cells, cells), null, levelBytes: levels);
            levels.Rows[0].Span.CopyTo(coverage.AsSpan(b * cells));
        }

        int bytesPerCell = kind == TileKind.People ? sizeof(float) : 1;
        byte[] all = kind == TileKind.People ? MemoryMarshal.AsBytes(people.AsSpan()).ToArray() : coverage;
        var tiles = new List<byte[]>();
        for (int tileRow = 0; tileRow < Size / Tile; tileRow++)
        {
            for (int tileColumn = 0; tileColumn < Size / Tile; tileColumn++)
            {
                var tile = new byte[Tile * Tile * bytesPerCell];
                for (int r = 0; r < Tile; r++)
                {
                    all.AsSpan((((tileRow * Tile) + r) * Size + (tileColumn * Tile)) * bytesPerCell, Tile * bytesPerCell)
                        .CopyTo(tile.AsSpan(r * Tile * bytesPerCell));
                }

                tiles.Add(tile);
            }
        }

        return [.. tiles];
    }
}

/// <summary>libdeflate and libzstd, for <see cref="TileCompressionBenchmarks"/> (both installed with GDAL on Debian).</summary>
internal static partial class Native
{
    [LibraryImport("libdeflate.so.0")]
    internal static partial IntPtr libdeflate_alloc_compressor(int level);

    [LibraryImport("libdeflate.so.0")]
    internal static partial void libdeflate_free_compressor(IntPtr compressor);

    [LibraryImport("libdeflate.so.0")]
    internal static partial nuint libdeflate_zlib_compress(IntPtr compressor, byte[] input, nuint length, byte[] output, nuint available);

    [LibraryImport("libzstd.so.1")]
    internal static partial IntPtr ZSTD_createCCtx();

    [LibraryImport("libzstd.so.1")]
    internal static partial nuint ZSTD_freeCCtx(IntPtr context);

    [LibraryImport("libzstd.so.1")]
    internal static partial nuint ZSTD_compressCCtx(IntPtr context, byte[] output, nuint available, byte[] input, nuint length, int level);

    [LibraryImport("libzstd.so.1")]
    internal static partial nuint ZSTD_decompress(byte[] output, nuint available, byte[] input, nuint length);

    [LibraryImport("libzstd.so.1")]
    internal static partial uint ZSTD_isError(nuint code);
}
