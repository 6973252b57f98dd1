namespace Ewcm.Engine.Zones;

/// <summary>Great-circle distances on the mean Earth sphere (IUGG mean radius 6371.0088 km).</summary>
public static class Geodesy
{
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Haversine distance in km between two longitude/latitude points in degrees.</summary>
    public static double HaversineKm(double lon1, double lat1, double lon2, double lat2) =>
        HaversineKm(lat1, CosLat(lat1), lat2, CosLat(lat2), SinHalfDLon(lon1, lon2));

    /// <summary>
    /// The same haversine distance from parts a caller may have computed once for many pairs (the cosines
    /// of the latitudes, the sine of half the longitude difference): same operations, same result bits.
    /// </summary>
    public static double HaversineKm(double lat1, double cosLat1, double lat2, double cosLat2, double sinHalfDLon)
    {
        double s = Math.Sin((lat2 - lat1) * Rad / 2);
        double t = sinHalfDLon;
        double h = (s * s) + (cosLat1 * cosLat2 * t * t);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>Cosine of a latitude in degrees.</summary>
    public static double CosLat(double lat) => Math.Cos(lat * Rad);

    /// <summary>Sine of half the difference of two longitudes in degrees.</summary>
    public static double SinHalfDLon(double lon1, double lon2) => Math.Sin((lon2 - lon1) * Rad / 2);

    private const double Rad = Math.PI / 180;
}
