using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Native.Gdal;
using Ewcm.Engine.Outputs;

namespace Ewcm.Engine.Tests.Gdal;

public class RasterSourceTests
{
    [Fact]
    public void A_missing_raster_names_the_file_and_the_setting_to_check()
    {
        using var folder = new TempFolder();
        string path = folder.File("worldpop.tif");

        InputException error = Assert.Throws<InputException>(() => RasterSource.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the path in country.yaml", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_file_gdal_cannot_read_names_the_file_and_gdals_reason()
    {
        using var folder = new TempFolder();
        string path = folder.File("population.tif");
        File.WriteAllText(path, "<html>404 Not Found</html>");

        InputException error = Assert.Throws<InputException>(() => RasterSource.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not recognized as a supported file format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_geotiff_fails_with_the_file_name()
    {
        using var folder = new TempFolder();
        string path = folder.File("truncated.tif");
        const int size = 256;
        using (GdalDataset dataset = GdalDataset.CreateRaster("GTiff", path, size, size, 1, GdalDataType.Float32))
        {
            dataset.SetGeoTransform([0, 1, 0, size, 0, -1]);
            dataset.SetProjection(CrsInfoTests.Wgs84);
            float[] values = [.. Enumerable.Range(0, size * size).Select(i => (float)i)];
            dataset.Band(1).Write<float>(0, 0, size, size, values);
            dataset.Close();
        }

        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        InputException error = Assert.Throws<InputException>(() =>
        {
            using RasterSource raster = RasterSource.Open(path);
            var all = new float[raster.Width * raster.Height];
            raster.ReadRows(0, raster.Height, all);
        });

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        // The rows named are those of the first unreadable block (strips or tiles, depending on the read path).
        Assert.Matches(@"rows \d+-\d+", error.Message);
        Assert.Contains("truncated or corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiled_rasters_read_by_blocks_give_the_same_rows_as_gdal_rasterio()
    {
        using var folder = new TempFolder();
        string path = folder.File("tiled.tif");
        const int width = 300, height = 200; // partial tiles on the right and at the bottom
        using (GdalDataset dataset = GdalDataset.CreateRaster("GTiff", path, width, height, 1, GdalDataType.Float32,
            [new("TILED", "YES"), new("BLOCKXSIZE", "128"), new("BLOCKYSIZE", "64"), new("COMPRESS", "DEFLATE")]))
        {
            dataset.SetGeoTransform([0, 1, 0, height, 0, -1]);
            dataset.SetProjection(CrsInfoTests.Wgs84);
            float[] values = [.. Enumerable.Range(0, width * height).Select(i => (float)(i % 977) / 7)];
            dataset.Band(1).Write<float>(0, 0, width, height, values);
            dataset.Close();
        }

        using RasterSource raster = RasterSource.Open(path);
        Assert.Equal((128, 64), (raster.BlockWidth, raster.BlockHeight));
        var byBlocks = new float[width * height];
        raster.ReadRows(0, 128, byBlocks);                       // two whole block rows
        raster.ReadRows(128, 72, byBlocks.AsSpan(128 * width));  // the rest, ending in a partial block row
        var byWindow = new float[width * height];
        raster.ReadWindow(0, 0, width, height, byWindow);         // GDALRasterIO
        Assert.Equal(byWindow, byBlocks);
    }

    [Fact]
    public void A_raster_without_crs_has_an_empty_crs_wkt()
    {
        using var folder = new TempFolder();
        string path = folder.File("no-crs.tif");
        using (CogWriter writer = CogWriter.Create(path, 4, 4, [0, 1, 0, 4, 0, -1], "", -1f))
        {
            writer.WriteRows(0, 4, new float[16]);
            writer.Complete();
        }

        using RasterSource raster = RasterSource.Open(path);

        Assert.Equal("", raster.CrsWkt);
        Assert.Equal(-1.0, raster.NoData);
    }

    [Fact]
    public void Reads_outside_the_raster_are_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("small.tif");
        using (CogWriter writer = CogWriter.Create(path, 4, 4, [0, 1, 0, 4, 0, -1], CrsInfoTests.Wgs84, -1f))
        {
            writer.Complete();
        }

        using RasterSource raster = RasterSource.Open(path);

        Assert.Throws<ArgumentOutOfRangeException>(() => raster.ReadRows(3, 2, new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => raster.ReadWindow(2, 0, 3, 1, new float[3]));
        Assert.Throws<ArgumentException>(() => raster.ReadRows(0, 2, new float[7]));
    }
}
