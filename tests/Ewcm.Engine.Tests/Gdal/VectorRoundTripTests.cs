using System.Globalization;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Tests.Gdal;

public class VectorRoundTripTests
{
    private static readonly WKTReader Wkt = new();

    private static readonly FieldSpec[] Fields =
    [
        new("id", FieldKind.Integer64),
        new("name", FieldKind.String),
        new("share", FieldKind.Real),
    ];

    // Coordinates with at most 7 decimals: RFC 7946 GeoJSON keeps 7.
    private static readonly (Geometry Geometry, IReadOnlyList<object?> Values)[] Units =
    [
        (Wkt.Read("POLYGON ((-17.5 14.6, -17.4 14.6, -17.4 14.7, -17.5 14.7, -17.5 14.6))"), [1L, "Dakar", 0.125]),
        (Wkt.Read("MULTIPOLYGON (((-16.9 14.7, -16.8 14.7, -16.8 14.8, -16.9 14.8, -16.9 14.7)), ((-16.7 14.7, -16.6 14.7, -16.6 14.8, -16.7 14.7)))"), [2L, "Thiès", 1.0 / 3]),
        (Wkt.Read("POLYGON ((-16.2 14.1, -16.1 14.1, -16.1 14.2, -16.2 14.1))"), [3000000000L, null, null]),
    ];

    [Theory]
    [InlineData("admin.gpkg")]
    [InlineData("admin.geojson")]
    [InlineData("admin.fgb")]
    [InlineData("admin.shp")]
    public void Writes_and_reads_back_each_format(string fileName)
    {
        using var folder = new TempFolder();
        string path = folder.File(fileName);

        GpkgWriter.Write(path, [new VectorLayerToWrite("admin", CrsInfoTests.Wgs84, Fields, Units)]);
        VectorLayerData data = VectorSource.ReadLayer(path, null, ["id", "name", "share"], null);

        Assert.Equal(path, data.Path);
        Assert.True(CrsInfo.IsSame(CrsInfoTests.Wgs84, data.SourceCrsWkt));
        Assert.Equal(0, data.SkippedEmpty);
        Assert.Equal(3, data.Features.Count);
        // FlatGeobuf stores features in spatial-index (Hilbert) order: match them by id.
        VectorFeature[] byId = [.. data.Features.OrderBy(f => long.Parse(f.Attributes["id"]!, CultureInfo.InvariantCulture))];
        for (int i = 0; i < Units.Length; i++)
        {
            VectorFeature feature = byId[i];
            Assert.Equal(Units[i].Geometry.Area, feature.Geometry.Area, 12);
            Assert.True(feature.Geometry.Buffer(1e-9).Covers(Units[i].Geometry), $"feature {i} geometry moved");
            Assert.Equal(["id", "name", "share"], feature.Attributes.Keys);
        }

        Assert.Equal("1", byId[0].Attributes["id"]);
        Assert.Equal("Dakar", byId[0].Attributes["name"]);
        Assert.Equal("0.125", byId[0].Attributes["share"]);
        Assert.Equal("Thiès", byId[1].Attributes["name"]);
        Assert.Equal(1.0 / 3, double.Parse(byId[1].Attributes["share"]!, CultureInfo.InvariantCulture), 12);
        Assert.Equal("3000000000", byId[2].Attributes["id"]);
        Assert.Null(byId[2].Attributes["share"]);
    }

    [Fact]
    public void Reals_are_round_trippable_and_fields_match_ignoring_case()
    {
        using var folder = new TempFolder();
        string path = folder.File("admin.gpkg");
        GpkgWriter.Write(path, [new VectorLayerToWrite("admin", CrsInfoTests.Wgs84, Fields, Units)]);

        VectorLayerData data = VectorSource.ReadLayer(path, "ADMIN", ["NAME", "Share"], null);

        Assert.Equal("admin", data.LayerName);
        Assert.Equal("Thiès", data.Features[1].Attributes["NAME"]);
        Assert.Equal((1.0 / 3).ToString("R", CultureInfo.InvariantCulture), data.Features[1].Attributes["Share"]);
        Assert.Null(data.Features[2].Attributes["NAME"]);
        Assert.IsType<MultiPolygon>(data.Features[0].Geometry); // promoted: the layer mixes Polygon and MultiPolygon
    }

    [Fact]
    public void A_geopackage_holds_several_layers()
    {
        using var folder = new TempFolder();
        string path = folder.File("admin.gpkg");
        GpkgWriter.Write(path,
        [
            new VectorLayerToWrite("admin1", CrsInfoTests.Wgs84, Fields, Units),
            new VectorLayerToWrite("admin2", CrsInfoTests.Wgs84, [], [(Units[0].Geometry, [])]),
        ]);

        Assert.Equal(["admin1", "admin2"], VectorSource.ListLayers(path));
        Assert.Single(VectorSource.ReadLayer(path, "admin2", [], null).Features);
    }

    [Fact]
    public void Geojson_is_rfc7946_in_wgs84_and_keeps_other_crss()
    {
        using var folder = new TempFolder();
        string wgs84 = folder.File("wgs84.geojson");
        string utm = folder.File("utm.geojson");

        GpkgWriter.Write(wgs84, [new VectorLayerToWrite("a", CrsInfoTests.Wgs84, [], [(new Point(-17.123456789, 14.5), [])])]);
        GpkgWriter.Write(utm, [new VectorLayerToWrite("a", CrsInfoTests.Utm28N, [], [(new Point(500000, 1600000), [])])]);

        string text = File.ReadAllText(wgs84);
        Assert.DoesNotContain("\"crs\"", text, StringComparison.Ordinal);
        Assert.Contains("-17.1234568", text, StringComparison.Ordinal); // RFC 7946: 7 decimals
        Assert.Contains("EPSG::32628", File.ReadAllText(utm), StringComparison.Ordinal);
        Assert.True(CrsInfo.IsSame(CrsInfoTests.Utm28N, VectorSource.ReadLayer(utm, null, [], null).SourceCrsWkt));
    }

    [Fact]
    public void Writing_again_replaces_the_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("admin.gpkg");
        GpkgWriter.Write(path, [new VectorLayerToWrite("old1", CrsInfoTests.Wgs84, [], []), new VectorLayerToWrite("old2", CrsInfoTests.Wgs84, [], [])]);

        GpkgWriter.Write(path, [new VectorLayerToWrite("new", CrsInfoTests.Wgs84, Fields, Units)]);

        Assert.Equal(["new"], VectorSource.ListLayers(path));
    }

    [Fact]
    public void Single_layer_formats_refuse_several_layers()
    {
        using var folder = new TempFolder();
        string path = folder.File("admin.shp");

        ArgumentException error = Assert.Throws<ArgumentException>(() => GpkgWriter.Write(path,
            [new VectorLayerToWrite("a", CrsInfoTests.Wgs84, [], []), new VectorLayerToWrite("b", CrsInfoTests.Wgs84, [], [])]));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one layer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reprojects_utm_to_lon_lat()
    {
        using var folder = new TempFolder();
        string path = folder.File("sites.gpkg");
        GpkgWriter.Write(path,
        [
            new VectorLayerToWrite("sites", CrsInfoTests.Utm28N, [new FieldSpec("site", FieldKind.String)],
            [
                (new Point(600000, 1600000), ["A"]),
                (Wkt.Read("POLYGON ((500000 0, 500100 0, 500100 100, 500000 0))"), ["B"]),
            ]),
        ]);

        VectorLayerData data = VectorSource.ReadLayer(path, null, ["site"], CrsInfoTests.Wgs84);

        Assert.True(CrsInfo.IsSame(CrsInfoTests.Utm28N, data.SourceCrsWkt));
        Coordinate site = data.Features[0].Geometry.Coordinate;
        // Reference values: cs2cs EPSG:32628 EPSG:4326 (PROJ); x must be the longitude.
        Assert.Equal(-14.0721104329913, site.X, 1e-7);
        Assert.Equal(14.4708196718554, site.Y, 1e-7);
        Coordinate corner = data.Features[1].Geometry.Coordinates[0];
        Assert.Equal(-15.0, corner.X, 1e-9); // the zone's central meridian at the equator
        Assert.Equal(0.0, corner.Y, 1e-9);
    }

    [Fact]
    public void Reads_kml_as_2d_wgs84_and_skips_placemarks_without_geometry()
    {
        using var folder = new TempFolder();
        string path = folder.File("coverage.kml");
        File.WriteAllText(path, """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2">
              <Document>
                <name>coverage</name>
                <Placemark>
                  <name>Orange 4G</name>
                  <ExtendedData><Data name="operator"><value>Orange</value></Data></ExtendedData>
                  <Polygon><outerBoundaryIs><LinearRing>
                    <coordinates>-17.5,14.6,0 -17.4,14.6,0 -17.4,14.7,0 -17.5,14.7,0 -17.5,14.6,0</coordinates>
                  </LinearRing></outerBoundaryIs></Polygon>
                </Placemark>
                <Placemark><name>no geometry</name></Placemark>
              </Document>
            </kml>
            """);

        VectorLayerData data = VectorSource.ReadLayer(path, null, ["name", "operator"], null);

        Assert.Equal("coverage", data.LayerName);
        Assert.True(CrsInfo.IsSame(CrsInfoTests.Wgs84, data.SourceCrsWkt));
        Assert.Equal(1, data.SkippedEmpty);
        VectorFeature feature = Assert.Single(data.Features);
        Assert.IsType<Polygon>(feature.Geometry);
        Assert.Equal(0.01, feature.Geometry.Area, 12);
        Assert.All(feature.Geometry.Coordinates, c => Assert.True(double.IsNaN(c.Z), "Z must be dropped"));
        // One array of doubles per ring, not one object per vertex (millions of them in a country's coverage).
        CoordinateSequence ring = ((Polygon)feature.Geometry).Shell.CoordinateSequence;
        Assert.IsType<NetTopologySuite.Geometries.Implementation.DotSpatialAffineCoordinateSequence>(ring);
        Assert.Equal(2, ring.Dimension);
        Assert.Equal("Orange 4G", feature.Attributes["name"]);
        Assert.Equal("Orange", feature.Attributes["operator"]);
    }

    [Fact]
    public void Reads_csv_lon_lat_points_as_wgs84()
    {
        using var folder = new TempFolder();
        string path = folder.File("towns.csv");
        File.WriteAllText(path, "name,lat,lon,pop\nDakar,14.6928,-17.4467,1146053\nThiès,14.7910,-16.9260,\n");

        VectorLayerData data = VectorSource.ReadLayer(path, null, ["name", "pop"], null);

        Assert.True(CrsInfo.IsSame(CrsInfoTests.Wgs84, data.SourceCrsWkt));
        Assert.Equal(2, data.Features.Count);
        var dakar = Assert.IsType<Point>(data.Features[0].Geometry);
        Assert.Equal(-17.4467, dakar.X, 12);
        Assert.Equal(14.6928, dakar.Y, 12);
        Assert.Equal("Dakar", data.Features[0].Attributes["name"]);
        Assert.Equal("1146053", data.Features[0].Attributes["pop"]);
        Assert.Equal("Thiès", data.Features[1].Attributes["name"]);
        Assert.Null(data.Features[1].Attributes["pop"]);

        VectorLayerData projected = VectorSource.ReadLayer(path, null, [], CrsInfoTests.Utm28N);
        Assert.InRange(projected.Features[0].Geometry.Coordinate.X, 200_000, 300_000);
        Assert.InRange(projected.Features[0].Geometry.Coordinate.Y, 1_600_000, 1_700_000);
    }
}
