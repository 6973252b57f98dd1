using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Gdal;

public class RasterPolygonizerTests
{
    // 100 m cells in UTM 28N (Senegal). Nodata is 0 so that a nodata cell would pass the -75 dBm test.
    private static readonly double[] GeoTransform = [400000, 100, 0, 1600400, 0, -100];

    private static readonly float[] Signal =
    [
        -60, -70, -90, -100,
        -65, -80, 0, -85,
        -100, -100, -50, -50,
        float.NaN, -120, -110, -75,
    ];

    private static string WriteSignal(TempFolder folder, string crsWkt)
    {
        string path = folder.File("signal.tif");
        using CogWriter writer = CogWriter.Create(path, 4, 4, GeoTransform, crsWkt, 0f);
        writer.WriteRows(0, 4, Signal);
        writer.Complete();
        return path;
    }

    [Fact]
    public void Covers_the_valid_cells_at_or_above_the_threshold()
    {
        using var folder = new TempFolder();
        string path = WriteSignal(folder, CrsInfoTests.Utm28N);

        Geometry covered = RasterPolygonizer.PolygonizeAtLeast(path, -75, null);

        // -60, -70, -65 (top-left L), -50, -50 and -75 (bottom right): 6 cells of 1 ha; the 0 (nodata) cell is not covered.
        Assert.IsType<MultiPolygon>(covered);
        Assert.Equal(2, covered.NumGeometries);
        Assert.Equal(6 * 100 * 100, covered.Area, 6);
        Assert.True(covered.Covers(new Point(400050, 1600350)));
        Assert.False(covered.Intersects(new Point(400250, 1600250)));
        Assert.Equal(new Envelope(400000, 400400, 1600000, 1600400), covered.EnvelopeInternal);
    }

    [Fact]
    public void Reprojects_the_covered_area_to_lon_lat()
    {
        using var folder = new TempFolder();
        string path = WriteSignal(folder, CrsInfoTests.Utm28N);

        Geometry covered = RasterPolygonizer.PolygonizeAtLeast(path, -75, CrsInfoTests.Wgs84);

        Envelope box = covered.EnvelopeInternal;
        Assert.InRange(box.MinX, -15.93, -15.92); // x = longitude
        Assert.InRange(box.MinY, 14.47, 14.48);
        Assert.Equal(2, covered.NumGeometries);
    }

    [Fact]
    public void Nothing_above_the_threshold_gives_an_empty_polygon()
    {
        using var folder = new TempFolder();
        string path = WriteSignal(folder, CrsInfoTests.Utm28N);

        Geometry covered = RasterPolygonizer.PolygonizeAtLeast(path, -10, null);

        Assert.IsType<Polygon>(covered);
        Assert.True(covered.IsEmpty);
    }

    [Fact]
    public void A_signal_raster_without_crs_is_refused()
    {
        using var folder = new TempFolder();
        string path = WriteSignal(folder, "");

        InputException error = Assert.Throws<InputException>(() => RasterPolygonizer.PolygonizeAtLeast(path, -75, null));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("no coordinate reference system", error.Message, StringComparison.Ordinal);
    }
}
