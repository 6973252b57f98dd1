namespace Ewcm.Engine.Zones;

/// <summary>Great-circle distances on the mean Earth sphere (IUGG mean radius 6371.0088 km).</summary>
public static class Geodesy
{
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Haversine distance in km between two longitude/latitude points in degrees.</summary>
    public static double HaversineKm(double lon1, double lat1, double lon2, double lat2)
    {
        const double rad = Math.PI / 180;
        double dLat = (lat2 - lat1) * rad;
        double dLon = (lon2 - lon1) * rad;
        double s = Math.Sin(dLat / 2);
        double t = Math.Sin(dLon / 2);
        double h = (s * s) + (Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * t * t);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
