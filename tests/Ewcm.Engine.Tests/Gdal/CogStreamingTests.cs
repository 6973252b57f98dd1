using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Native.Gdal;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Outputs.Cog;

namespace Ewcm.Engine.Tests.Gdal;

/// <summary>
/// The streaming COG writer against real GDAL: rows arriving in any order from two threads, sizes that are
/// not multiples of the tile, both pixel types, geographic and projected CRSs, overviews and file layout.
/// </summary>
public class CogStreamingTests
{
    private const float FloatNoData = -99999f;
    private const double ByteScale = 1.0 / 250;

    public static TheoryData<string, int, int, bool> Rasters => new()
    {
        // pixel type, columns, rows, projected CRS
        { "Float32", 1300, 1100, true },
        { "Float32", 700, 1030, false },
        { "Byte", 1030, 600, false },
        { "Byte", 513, 1500, true },
    };

    [Theory]
    [MemberData(nameof(Rasters))]
    public void Rows_in_random_order_from_two_threads_read_back_exactly_with_overviews(string pixel, int width, int height, bool projected)
    {
        using var folder = new TempFolder();
        string path = folder.File("out.tif");
        string crs = projected ? CrsInfoTests.Utm28N : CrsInfoTests.Wgs84;
        double[] gt = projected ? [400000, 100, 0, 1700000, 0, -100] : [30, 1.0 / 1200, 0, 5, 0, -1.0 / 1200];
        bool isByte = pixel == "Byte";
        CogBand band = isByte
            ? new CogBand(CogPixel.Byte, null, ByteScale, "Fraction covered (value x 0.004)")
            : new CogBand(CogPixel.Real32, FloatNoData, null, "People per cell");
        float[] source = Source(width, height, isByte);

        using (CogWriter writer = CogWriter.Create(path, width, height, gt, crs, band))
        {
            WriteShuffled(writer, source, width, height, seed: width + height, threads: 2);
            writer.Complete();
        }

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.Equal("COG", CogWriter.ReadMetadataItem(path, "LAYOUT", "IMAGE_STRUCTURE"));
        Assert.Equal("DEFLATE", CogWriter.ReadMetadataItem(path, "COMPRESSION", "IMAGE_STRUCTURE"));

        using (RasterSource raster = RasterSource.Open(path))
        {
            Assert.Equal((width, height), (raster.Width, raster.Height));
            Assert.Equal(gt, raster.GeoTransform);
            Assert.True(CrsInfo.IsSame(crs, raster.CrsWkt));
            Assert.Equal(isByte ? "Byte" : "Float32", raster.DataType);
            Assert.Equal(isByte ? null : FloatNoData, raster.NoData);
            Assert.Equal((512, 512), (raster.BlockWidth, raster.BlockHeight));
        }

        // Every pixel of every level: full resolution as written, each overview the 2×2 average of the
        // level above (nodata skipped; bytes rounded), down to the first level that fits in one tile.
        using GdalDataset dataset = GdalDataset.Open(path, GdalOpenFlags.Raster);
        GdalBand full = dataset.Band(1);
        Assert.Equal(band.Description, full.Description);
        Assert.Equal(isByte ? ByteScale : null, full.Scale);
        double[] expected = [.. source.Select(v => isByte ? Quantize(v) : (double)v)];
        int w = width;
        int h = height;
        int levels = 0;
        while (true)
        {
            GdalBand level = levels == 0 ? full : full.Overview(levels - 1);
            Assert.Equal((w, h), level.Size);
            var actual = new double[w * h];
            level.Read<double>(0, 0, w, h, actual);
            Assert.Equal(expected, actual);
            if (w <= 512 && h <= 512)
            {
                break;
            }

            (expected, w, h) = Average(expected, w, h, isByte ? null : FloatNoData, isByte);
            levels++;
        }

        Assert.Equal(levels, full.OverviewCount);
        Assert.True(levels >= 1);
    }

    [Fact]
    public void Byte_rows_are_stored_as_given_and_nodata_bytes_are_left_out_of_overviews()
    {
        using var folder = new TempFolder();
        string bytesPath = folder.File("bytes.tif");
        string floatsPath = folder.File("floats.tif");
        const int width = 1030, height = 9;
        var rows = new byte[width * height];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (byte)(i % 7 == 0 ? 255 : i % 200);
        }

        using (CogWriter writer = CogWriter.Create(bytesPath, width, height, [0, 1, 0, 9, 0, -1], CrsInfoTests.Wgs84, new CogBand(CogPixel.Byte, 255, null, null)))
        using (CogWriter floats = CogWriter.Create(floatsPath, width, height, [0, 1, 0, 9, 0, -1], CrsInfoTests.Wgs84, -1f))
        {
            writer.WriteRows(0, height, rows);
            floats.WriteRows(0, height, rows);
            writer.Complete();
            floats.Complete();
        }

        double[] expected = [.. rows.Select(b => (double)b)];
        foreach (string path in new[] { bytesPath, floatsPath })
        {
            using GdalDataset dataset = GdalDataset.Open(path, GdalOpenFlags.Raster);
            GdalBand band = dataset.Band(1);
            var full = new double[width * height];
            band.Read<double>(0, 0, width, height, full);
            Assert.Equal(expected, full);
            GdalBand overview = band.Overview(0);
            Assert.Equal((515, 5), overview.Size);
            var reduced = new double[515 * 5];
            overview.Read<double>(0, 0, 515, 5, reduced);
            bool isByte = path == bytesPath;
            Assert.Equal(Average(expected, width, height, isByte ? 255 : -1, isByte).Values, reduced);
        }
    }

    [Fact]
    public void Layout_puts_directories_first_and_overview_tiles_before_full_resolution()
    {
        using var folder = new TempFolder();
        string path = folder.File("layout.tif");
        const int width = 1300, height = 1100;
        using (CogWriter writer = CogWriter.Create(path, width, height, [400000, 100, 0, 1700000, 0, -100], CrsInfoTests.Utm28N, FloatNoData))
        {
            WriteShuffled(writer, Source(width, height, false), width, height, seed: 7, threads: 2);
            writer.Complete();
        }

        CheckLayout(path, expectBigTiff: false, levels: 3, noData: "-99999");
    }

    [Fact]
    public void Writes_bigtiff_with_the_same_layout_when_asked()
    {
        using var folder = new TempFolder();
        string path = folder.File("big.tif");
        const int width = 1030, height = 600;
        float[] source = Source(width, height, true);
        using (CogWriter writer = CogWriter.Create(path, width, height, [30, 0.001, 0, 5, 0, -0.001], CrsInfoTests.Wgs84,
            new CogBand(CogPixel.Byte, null, ByteScale, null)))
        {
            writer.ForceBigTiff = true;
            WriteShuffled(writer, source, width, height, seed: 3, threads: 2);
            writer.Complete();
        }

        CheckLayout(path, expectBigTiff: true, levels: 3, noData: null);
        Assert.Equal("COG", CogWriter.ReadMetadataItem(path, "LAYOUT", "IMAGE_STRUCTURE"));
        using RasterSource raster = RasterSource.Open(path);
        var values = new double[width * height];
        raster.ReadRows(0, height, values);
        Assert.Equal(source.Select(v => (double)Quantize(v)), values);
    }

    [Fact]
    public void Files_are_byte_identical_whatever_the_row_order_thread_count_and_assembly()
    {
        using var folder = new TempFolder();
        const int width = 1100, height = 1300;
        float[] source = Source(width, height, false);
        var files = new List<byte[]>();
        foreach ((int seed, int threads, bool copy) in new[] { (0, 1, false), (11, 2, false), (12, 2, true), (13, 3, false), (14, 1, true) })
        {
            string path = folder.File($"run{seed}.tif");
            using (CogWriter writer = CogWriter.Create(path, width, height, [400000, 100, 0, 1700000, 0, -100], CrsInfoTests.Utm28N, FloatNoData))
            {
                // Full resolution kept in place (where the file system can move blocks) or copied: the same bytes.
                writer.ForceCopy = copy;
                if (seed == 0)
                {
                    // Top to bottom in the overlay runner's bands of 256 rows.
                    for (int row0 = 0; row0 < height; row0 += 256)
                    {
                        int rows = Math.Min(256, height - row0);
                        writer.WriteRows(row0, rows, source.AsSpan(row0 * width, rows * width));
                    }
                }
                else
                {
                    WriteShuffled(writer, source, width, height, seed, threads);
                }

                writer.Complete();
            }

            Assert.Equal([path], Directory.GetFiles(folder.Path));
            files.Add(File.ReadAllBytes(path));
            File.Delete(path);
        }

        Assert.All(files.Skip(1), f => Assert.Equal(files[0], f));
    }

    [Fact]
    public void Rows_filled_in_place_give_the_same_file_as_rows_written()
    {
        using var folder = new TempFolder();
        const int width = 1100, height = 1300, band = 128;
        float[] source = Source(width, height, false);
        var files = new List<byte[]>();
        foreach (bool inPlace in new[] { false, true })
        {
            string path = folder.File($"inplace{inPlace}.tif");
            using (CogWriter writer = CogWriter.Create(path, width, height, [400000, 100, 0, 1700000, 0, -100], CrsInfoTests.Utm28N, FloatNoData))
            {
                // Bands from the bottom up, every other one in place when asked.
                for (int row0 = (height - 1) / band * band, i = 0; row0 >= 0; row0 -= band, i++)
                {
                    int rows = Math.Min(band, height - row0);
                    ReadOnlySpan<float> rowsData = source.AsSpan(row0 * width, rows * width);
                    PyramidLevel<float>.RowLease? lease = inPlace && i % 2 == 0 ? writer.LeaseFloatRows(row0, rows) : null;
                    if (lease is null)
                    {
                        writer.WriteRows(row0, rows, rowsData);
                    }
                    else
                    {
                        rowsData.CopyTo(lease.Rows.Span);
                        lease.Commit();
                    }
                }

                writer.Complete();
            }

            files.Add(File.ReadAllBytes(path));
        }

        Assert.Equal(files[0], files[1]);
    }

    [Fact]
    public void Rows_across_two_tile_rows_are_not_lent_and_rows_of_a_compressed_tile_row_are_refused()
    {
        using var folder = new TempFolder();
        using CogWriter writer = CogWriter.Create(folder.File("lease.tif"), 600, 1100, [0, 1, 0, 1100, 0, -1], CrsInfoTests.Wgs84,
            new CogBand(CogPixel.Byte, null, ByteScale, null));
        Assert.Null(writer.LeaseByteRows(500, 20)); // rows 500..519 lie in tile rows 0 and 1
        PyramidLevel<byte>.RowLease lease = writer.LeaseByteRows(0, 512)!;
        Assert.Equal(512 * 600, lease.Rows.Length);
        lease.Commit();
        Assert.Throws<InvalidOperationException>(() => writer.LeaseByteRows(10, 5));
        Assert.Throws<InvalidOperationException>(() => writer.LeaseFloatRows(600, 5)); // a Byte raster
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.LeaseByteRows(1090, 20));
    }

    [Theory]
    [InlineData(300, 200, false, 1)] // one tile, no overview
    [InlineData(1030, 600, true, 3)] // BigTIFF
    public void Copied_and_in_place_assembly_give_the_same_valid_file(int width, int height, bool bigTiff, int levels)
    {
        using var folder = new TempFolder();
        float[] source = Source(width, height, true);
        var files = new List<byte[]>();
        foreach (bool copy in new[] { false, true })
        {
            string path = folder.File($"copy{copy}.tif");
            using (CogWriter writer = CogWriter.Create(path, width, height, [30, 0.001, 0, 5, 0, -0.001], CrsInfoTests.Wgs84, FloatNoData))
            {
                writer.ForceBigTiff = bigTiff;
                writer.ForceCopy = copy;
                WriteShuffled(writer, source, width, height, seed: 5, threads: 2);
                writer.Complete();
            }

            CheckLayout(path, expectBigTiff: bigTiff, levels: levels, noData: "-99999");
            using (RasterSource raster = RasterSource.Open(path))
            {
                var values = new double[width * height];
                raster.ReadRows(0, height, values);
                Assert.Equal(source.Select(v => (double)v), values);
            }

            files.Add(File.ReadAllBytes(path));
        }

        Assert.Equal(files[0], files[1]);
        Assert.Equal(2, Directory.GetFiles(folder.Path).Length); // no temporary file left
    }

    [Fact]
    public void Dispose_after_compressed_tile_rows_leaves_no_files()
    {
        using var folder = new TempFolder();
        using (CogWriter writer = CogWriter.Create(folder.File("gone.tif"), 600, 1200, [0, 1, 0, 1200, 0, -1], CrsInfoTests.Wgs84, -1f))
        {
            writer.WriteRows(0, 600, new float[600 * 600]);
            Assert.NotEmpty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Rejects_rows_of_a_tile_row_already_compressed_and_writes_after_complete()
    {
        using var folder = new TempFolder();
        using CogWriter writer = CogWriter.Create(folder.File("twice.tif"), 100, 600, [0, 1, 0, 600, 0, -1], CrsInfoTests.Wgs84, -1f);
        writer.WriteRows(0, 512, new float[100 * 512]);
        writer.WriteRows(600 - 88, 88, new float[100 * 88]);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => writer.WriteRows(10, 1, new float[100]));
        Assert.Contains("already complete", e.Message, StringComparison.Ordinal);
        writer.Complete();
        writer.Complete(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => writer.WriteRows(0, 1, new float[100]));
        Assert.True(File.Exists(writer.Path));
    }

    [Fact]
    public void A_crs_gdal_cannot_encode_fails_at_create_naming_the_file_and_leaves_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.tif");
        GdalException e = Assert.Throws<GdalException>(() => CogWriter.Create(path, 10, 10, [0, 1, 0, 10, 0, -1], "NOT A CRS", -1f));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_raster_file_that_cannot_be_created_fails_at_create_naming_it_and_leaves_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("blocked.tif");
        Directory.CreateDirectory(path + ".partial"); // where the raster is assembled: its full resolution goes there from the start
        EwcmException e = Assert.Throws<EwcmException>(() => CogWriter.Create(path, 600, 600, [0, 1, 0, 600, 0, -1], CrsInfoTests.Wgs84, -1f));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_copy_that_cannot_be_created_fails_naming_the_raster_and_leaves_no_files()
    {
        using var folder = new TempFolder();
        string path = folder.File("blocked.tif");
        using (CogWriter writer = CogWriter.Create(path, 600, 600, [0, 1, 0, 600, 0, -1], CrsInfoTests.Wgs84, -1f))
        {
            writer.ForceCopy = true;
            writer.WriteRows(0, 600, new float[600 * 600]);
            Directory.CreateDirectory(path + ".partial.copy"); // the file assembled on file systems that cannot move blocks
            EwcmException e = Assert.Throws<EwcmException>(writer.Complete);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(path));
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_final_file_that_cannot_be_written_fails_naming_it_and_leaves_no_temporary_files()
    {
        using var folder = new TempFolder();
        string path = folder.File("blocked.tif");
        Directory.CreateDirectory(path); // a folder where the raster should go: the final rename fails
        using (CogWriter writer = CogWriter.Create(path, 600, 600, [0, 1, 0, 600, 0, -1], CrsInfoTests.Wgs84, -1f))
        {
            writer.WriteRows(0, 600, new float[600 * 600]);
            EwcmException e = Assert.Throws<EwcmException>(writer.Complete);
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Reading_something_that_is_not_a_tiff_names_the_file()
    {
        EwcmException e = Assert.Throws<EwcmException>(() => TiffDirectoryReader.Read(Encoding.ASCII.GetBytes("MM\0*not a little-endian tiff"), "x.tif"));
        Assert.Contains("x.tif", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Header, ghost area, directories before data, tiles from the smallest overview to full resolution, leaders and trailers.</summary>
    private static void CheckLayout(string path, bool expectBigTiff, int levels, string? noData)
    {
        byte[] file = File.ReadAllBytes(path);
        (bool big, IReadOnlyList<TiffDirectory> directories) = TiffDirectoryReader.Read(file, path);
        Assert.Equal(expectBigTiff, big);
        Assert.Equal(levels, directories.Count);
        string ghost = Encoding.ASCII.GetString(file, big ? 16 : 8, 43);
        Assert.StartsWith("GDAL_STRUCTURAL_METADATA_SIZE=", ghost, StringComparison.Ordinal);
        int ghostSize = int.Parse(ghost.AsSpan(30, 6), System.Globalization.CultureInfo.InvariantCulture);
        string structure = Encoding.ASCII.GetString(file, (big ? 16 : 8) + 43, ghostSize);
        foreach (string item in new[] { "LAYOUT=IFDS_BEFORE_DATA", "BLOCK_ORDER=ROW_MAJOR", "BLOCK_LEADER=SIZE_AS_UINT4", "BLOCK_TRAILER=LAST_4_BYTES_REPEATED" })
        {
            Assert.Contains(item, structure, StringComparison.Ordinal);
        }

        Assert.True(directories[0].Offset >= (big ? 16 : 8) + 43 + ghostSize);
        long previousEnd = 0;
        long firstData = long.MaxValue;
        for (int l = levels - 1; l >= 0; l--)
        {
            TiffDirectory d = directories[l];
            long? subfileType = d.Find(TiffTag.NewSubfileType) is null ? null : d.Integers(TiffTag.NewSubfileType)[0];
            Assert.Equal(l == 0 ? null : 1L, subfileType);
            Assert.Equal(8L, d.Integers(TiffTag.Compression)[0]);
            Assert.Equal(512L, d.Integers(TiffTag.TileWidth)[0]);
            Assert.Equal(noData, d.Find(TiffTag.GdalNoData) is TiffEntry nd ? Encoding.ASCII.GetString(nd.Value).TrimEnd('\0') : null);
            Assert.Equal(l == 0, d.Find(TiffTag.GeoKeyDirectory) is not null);
            long[] offsets = d.Integers(TiffTag.TileOffsets);
            long[] counts = d.Integers(TiffTag.TileByteCounts);
            for (int i = 0; i < offsets.Length; i++)
            {
                // Smallest overview first, row-major within a level: offsets only grow.
                Assert.True(offsets[i] > previousEnd);
                Assert.Equal(counts[i], BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)offsets[i] - 4)));
                Assert.Equal(file.AsSpan((int)(offsets[i] + counts[i] - 4), 4).ToArray(), file.AsSpan((int)(offsets[i] + counts[i]), 4).ToArray());
                previousEnd = offsets[i] + counts[i] + 4;
                firstData = Math.Min(firstData, offsets[i]);
            }
        }

        Assert.Equal(file.Length, previousEnd);
        Assert.All(directories, d => Assert.True(d.Offset < firstData));
    }

    private static float[] Source(int width, int height, bool fractions)
    {
        var values = new float[width * height];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                int i = (r * width) + c;
                values[i] = fractions
                    ? ((r * 7) + (c * 3)) % 251 / 250f
                    : ((r / 37) + (c / 41)) % 9 == 0 ? FloatNoData : (r * 0.37f) + (c * 1.3f);
            }
        }

        return values;
    }

    private static byte Quantize(float v) => (byte)Math.Clamp(MathF.Round(v / (float)ByteScale), 0, 255);

    /// <summary>Cuts the rows into chunks of 1–97 rows, shuffles them and writes them from <paramref name="threads"/> threads.</summary>
    private static void WriteShuffled(CogWriter writer, float[] source, int width, int height, int seed, int threads)
    {
        var random = new Random(seed);
        var chunks = new List<(int Row0, int Rows)>();
        for (int row0 = 0; row0 < height;)
        {
            int rows = Math.Min(random.Next(1, 98), height - row0);
            chunks.Add((row0, rows));
            row0 += rows;
        }

        var queue = new ConcurrentQueue<(int Row0, int Rows)>(chunks.OrderBy(_ => random.Next()));
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            while (queue.TryDequeue(out (int Row0, int Rows) chunk))
            {
                writer.WriteRows(chunk.Row0, chunk.Rows, source.AsSpan(chunk.Row0 * width, chunk.Rows * width));
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
    }

    /// <summary>Reference 2×2 average, straight from the definition.</summary>
    private static (double[] Values, int Width, int Height) Average(double[] values, int width, int height, float? noData, bool round)
    {
        int w = (width + 1) / 2;
        int h = (height + 1) / 2;
        var result = new double[w * h];
        for (int r = 0; r < h; r++)
        {
            for (int c = 0; c < w; c++)
            {
                double sum = 0;
                int n = 0;
                for (int y = 2 * r; y < Math.Min(2 * r + 2, height); y++)
                {
                    for (int x = 2 * c; x < Math.Min(2 * c + 2, width); x++)
                    {
                        double v = values[(y * width) + x];
                        if (noData is null || v != noData.Value)
                        {
                            sum += v;
                            n++;
                        }
                    }
                }

                result[(r * w) + c] = n == 0 ? noData!.Value : round ? (int)((sum + (n / 2)) / n) : (double)(float)(sum / n);
            }
        }

        return (result, w, h);
    }
}
