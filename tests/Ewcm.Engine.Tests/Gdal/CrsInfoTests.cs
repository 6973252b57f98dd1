using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;

namespace Ewcm.Engine.Tests.Gdal;

public class CrsInfoTests
{
    internal static readonly string Wgs84 = CrsInfo.FromUserInput("EPSG:4326");
    internal static readonly string Utm28N = CrsInfo.FromUserInput("EPSG:32628");

    [Fact]
    public void Describes_epsg_crss_with_code_and_name()
    {
        Assert.Equal("EPSG:4326 (WGS 84)", CrsInfo.Describe(Wgs84));
        Assert.Equal("EPSG:32628 (WGS 84 / UTM zone 28N)", CrsInfo.Describe(Utm28N));
        Assert.Equal("no CRS", CrsInfo.Describe(""));
    }

    [Fact]
    public void Describes_a_wkt_without_authority_by_its_catalogue_match()
    {
        const string wkt = """
            GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]
            """;

        Assert.Equal("EPSG:4326 (WGS 84)", CrsInfo.Describe(wkt));
    }

    [Fact]
    public void Describes_a_crs_without_code_as_custom()
    {
        string laea = CrsInfo.FromUserInput("+proj=laea +lat_0=5 +lon_0=20 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs");

        Assert.StartsWith("custom CRS ", CrsInfo.Describe(laea), StringComparison.Ordinal);
        Assert.False(CrsInfo.IsGeographic(laea));
    }

    [Fact]
    public void Compares_crss_whatever_the_wkt_flavour()
    {
        const string wkt1WithoutAuthority = """
            GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]
            """;

        Assert.True(CrsInfo.IsSame(Wgs84, wkt1WithoutAuthority));
        Assert.True(CrsInfo.IsSame(Wgs84, CrsInfo.FromUserInput("WGS84")));
        Assert.False(CrsInfo.IsSame(Wgs84, Utm28N));
        Assert.True(CrsInfo.IsSame("", ""));
        Assert.False(CrsInfo.IsSame(Wgs84, ""));
    }

    [Fact]
    public void Tells_geographic_from_projected()
    {
        Assert.True(CrsInfo.IsGeographic(Wgs84));
        Assert.False(CrsInfo.IsGeographic(Utm28N));
    }

    [Fact]
    public void Reads_the_ellipsoid()
    {
        double[] wgs84 = CrsInfo.SemiMajorAndInverseFlattening(Utm28N);

        Assert.Equal(6378137.0, wgs84[0]);
        Assert.Equal(298.257223563, wgs84[1], 9);
    }

    [Fact]
    public void User_input_becomes_wkt()
    {
        Assert.Contains("GEOGCS[\"WGS 84\"", Wgs84, StringComparison.Ordinal);
        Assert.Contains("AUTHORITY[\"EPSG\",\"4326\"]", Wgs84, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_user_input_names_the_text()
    {
        InputException error = Assert.Throws<InputException>(() => CrsInfo.FromUserInput("EPSG:999999"));

        Assert.Contains("'EPSG:999999'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a coordinate reference system", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_wkt_is_an_input_error()
    {
        InputException error = Assert.Throws<InputException>(() => CrsInfo.IsGeographic("GEOGCS[broken"));

        Assert.Contains("not a valid coordinate reference system WKT", error.Message, StringComparison.Ordinal);
    }
}
