using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;

namespace Ewcm.Engine.Tests.Gdal;

public class CogWriterTests
{
    private const int Width = 700;
    private const int Height = 600;
    private const float NoData = -1f;
    private static readonly double[] GeoTransform = [400000, 100, 0, 1700000, 0, -100];

    private static float Value(int row, int col) => (row * 13 + col) % 50 == 0 ? NoData : (row * 1000) + col;

    [Fact]
    public void Writes_a_valid_cog_that_reads_back_exactly()
    {
        using var folder = new TempFolder();
        string path = folder.File("coverage.tif");

        using (CogWriter writer = CogWriter.Create(path, Width, Height, GeoTransform, CrsInfoTests.Utm28N, NoData))
        {
            // Bands of 64 rows, from several threads and out of order, as the overlay runner writes them.
            int[] starts = [.. Enumerable.Range(0, (Height + 63) / 64).Select(b => b * 64).Reverse()];
            Parallel.ForEach(starts, new ParallelOptions { MaxDegreeOfParallelism = 4 }, row0 =>
            {
                int rows = Math.Min(64, Height - row0);
                var band = new float[rows * Width];
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < Width; c++)
                    {
                        band[(r * Width) + c] = Value(row0 + r, c);
                    }
                }

                writer.WriteRows(row0, rows, band);
            });
            writer.Complete();
        }

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.Equal("COG", CogWriter.ReadMetadataItem(path, "LAYOUT", "IMAGE_STRUCTURE"));
        Assert.Equal("DEFLATE", CogWriter.ReadMetadataItem(path, "COMPRESSION", "IMAGE_STRUCTURE"));

        using RasterSource raster = RasterSource.Open(path);
        Assert.Equal(path, raster.Path);
        Assert.Equal(Width, raster.Width);
        Assert.Equal(Height, raster.Height);
        Assert.Equal(1, raster.BandCount);
        Assert.Equal(GeoTransform, raster.GeoTransform);
        Assert.True(raster.HasGeoTransform);
        Assert.True(CrsInfo.IsSame(CrsInfoTests.Utm28N, raster.CrsWkt));
        Assert.Equal(NoData, raster.NoData);
        Assert.Equal("Float32", raster.DataType);
        Assert.Equal(512, raster.BlockWidth);
        Assert.Equal(512, raster.BlockHeight);

        var all = new float[Width * Height];
        raster.ReadRows(0, Height, all);
        for (int r = 0; r < Height; r++)
        {
            for (int c = 0; c < Width; c++)
            {
                Assert.Equal(Value(r, c), all[(r * Width) + c]);
            }
        }

        var rows = new double[3 * Width];
        raster.ReadRows(597, 3, rows);
        Assert.Equal(Value(599, 699), rows[^1]);

        var window = new float[4 * 2];
        raster.ReadWindow(510, 300, 4, 2, window);
        Assert.Equal([Value(300, 510), Value(300, 511), Value(300, 512), Value(300, 513), Value(301, 510), Value(301, 511), Value(301, 512), Value(301, 513)], window);
    }

    [Fact]
    public void Rows_never_written_read_as_nodata()
    {
        using var folder = new TempFolder();
        string path = folder.File("sparse.tif");
        using (CogWriter writer = CogWriter.Create(path, 20, 10, [0, 1, 0, 10, 0, -1], CrsInfoTests.Wgs84, -9999f))
        {
            writer.WriteRows(2, 1, Enumerable.Repeat(5f, 20).ToArray());
            writer.Complete();
        }

        using RasterSource raster = RasterSource.Open(path);
        var values = new float[200];
        raster.ReadRows(0, 10, values);
        Assert.All(values.Take(40), v => Assert.Equal(-9999f, v));
        Assert.All(values.Skip(40).Take(20), v => Assert.Equal(5f, v));
        Assert.All(values.Skip(60), v => Assert.Equal(-9999f, v));
    }

    [Fact]
    public void Dispose_without_complete_leaves_no_files()
    {
        using var folder = new TempFolder();
        string path = folder.File("abandoned.tif");

        using (CogWriter writer = CogWriter.Create(path, 10, 10, [0, 1, 0, 10, 0, -1], CrsInfoTests.Wgs84, -1f))
        {
            writer.WriteRows(0, 5, new float[50]);
            Assert.NotEmpty(Directory.GetFiles(folder.Path));
        }

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Rejects_rows_outside_the_raster()
    {
        using var folder = new TempFolder();
        using CogWriter writer = CogWriter.Create(folder.File("x.tif"), 10, 10, [0, 1, 0, 10, 0, -1], CrsInfoTests.Wgs84, -1f);

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteRows(8, 3, new float[30]));
        Assert.Throws<ArgumentException>(() => writer.WriteRows(0, 2, new float[19]));
    }
}
