using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Gdal;

public class VectorSourceErrorTests
{
    private static readonly Polygon Square = new GeometryFactory().CreatePolygon(
        [new(0, 0), new(1, 0), new(1, 1), new(0, 1), new(0, 0)]);

    private static string TwoLayerGeoPackage(TempFolder folder)
    {
        string path = folder.File("admin.gpkg");
        FieldSpec[] fields = [new("id", FieldKind.String), new("name", FieldKind.String)];
        GpkgWriter.Write(path,
        [
            new VectorLayerToWrite("admin1", CrsInfoTests.Wgs84, fields, [(Square, ["SN01", "Dakar"])]),
            new VectorLayerToWrite("admin2", CrsInfoTests.Wgs84, fields, [(Square, ["SN0101", "Dakar"])]),
        ]);
        return path;
    }

    [Fact]
    public void A_missing_file_names_the_file_and_the_setting_to_check()
    {
        using var folder = new TempFolder();
        string path = folder.File("admin.gpkg");

        InputException error = Assert.Throws<InputException>(() => VectorSource.ReadLayer(path, null, [], null));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("country.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_vector_data_names_the_file_and_gdals_reason()
    {
        using var folder = new TempFolder();
        string path = folder.File("admin.geojson");
        File.WriteAllText(path, "{ this is not json");

        InputException error = Assert.Throws<InputException>(() => VectorSource.ListLayers(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("GDAL cannot open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_layer_lists_the_available_layers()
    {
        using var folder = new TempFolder();
        string path = TwoLayerGeoPackage(folder);

        InputException error = Assert.Throws<InputException>(() => VectorSource.ReadLayer(path, "admin3", ["id"], null));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("no layer 'admin3'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'admin1', 'admin2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unnamed_layer_in_a_multi_layer_file_lists_the_layers()
    {
        using var folder = new TempFolder();
        string path = TwoLayerGeoPackage(folder);

        InputException error = Assert.Throws<InputException>(() => VectorSource.ReadLayer(path, null, ["id"], null));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("2 layers", error.Message, StringComparison.Ordinal);
        Assert.Contains("'admin1', 'admin2'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_field_lists_the_available_fields()
    {
        using var folder = new TempFolder();
        string path = TwoLayerGeoPackage(folder);

        InputException error = Assert.Throws<InputException>(() => VectorSource.ReadLayer(path, "admin2", ["id", "pcode"], null));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("layer 'admin2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no field 'pcode'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'id', 'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_without_crs_is_refused_with_the_fix()
    {
        using var folder = new TempFolder();
        string path = folder.File("coverage.shp");
        GpkgWriter.Write(path, [new VectorLayerToWrite("coverage", "", [], [(Square, [])])]);
        Assert.False(File.Exists(folder.File("coverage.prj")));

        InputException error = Assert.Throws<InputException>(() => VectorSource.ReadLayer(path, null, [], CrsInfoTests.Wgs84));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("has no coordinate reference system", error.Message, StringComparison.Ordinal);
        Assert.Contains("ogr2ogr -a_srs EPSG:4326", error.Message, StringComparison.Ordinal);
    }
}
