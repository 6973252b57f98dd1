using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>Population rasters GDAL cannot read (fully or in part), or that lack georeferencing.</summary>
[Collection(ConsoleCapture.Name)]
public class UnreadableRasterTests
{
    [Fact]
    public void A_text_file_named_tif_is_refused_with_gdals_reason()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        File.WriteAllText(box.Input("pop.tif"), "<html><body>404 Not Found</body></html>\n");

        box.ExpectRefused($"{box.Input("pop.tif")}: GDAL cannot open this raster", "not recognized as a supported file format",
            "Check that the file is complete");
    }

    [Fact]
    public void A_truncated_geotiff_is_refused_during_the_overlay_and_leaves_no_partial_output()
    {
        // 600 × 600 cells over the default country, tiled 256 × 256 with DEFLATE; noisy values so that
        // every tile takes room and the cut lands inside the tile data.
        var grid = new RasterGrid(10, 2, 2.0 / 600, 600, 600);
        var random = new Random(20240601);
        float[] values = [.. Enumerable.Range(0, grid.Cells).Select(_ => (float)random.NextDouble() * 10)];
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), grid, values, noData: -99999, creationOptions:
        [
            new("TILED", "YES"), new("BLOCKXSIZE", "256"), new("BLOCKYSIZE", "256"), new("COMPRESS", "DEFLATE"),
        ]);
        box.KeepPreviousResult();
        using (var stream = new FileStream(box.Input("pop.tif"), FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        box.ExpectRefused($"{box.Input("pop.tif")}: GDAL could not read rows", "truncated or corrupt", "download or export it again");
    }

    [Fact]
    public void A_raster_without_georeferencing_is_refused_as_such()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, RunSandbox.DefaultPopulation, georeferenced: false);

        box.ExpectRefused($"{box.Input("pop.tif")}: the population raster has no georeferencing", "gdal_translate -a_ullr");
    }
}
