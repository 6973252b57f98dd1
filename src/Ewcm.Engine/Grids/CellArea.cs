namespace Ewcm.Engine.Grids;

/// <summary>
/// True area of grid cells in km². Cells of a geographic grid shrink towards the poles, so a density
/// (people per km²) becomes a count only after multiplying by the area of each cell's own row.
/// </summary>
public static class CellArea
{
    /// <summary>
    /// Area in km² of a cell bounded by two parallels and two meridians on an ellipsoid
    /// (exact zone formula on the ellipsoid, not a spherical approximation).
    /// </summary>
    /// <param name="latTopDeg">Latitude of the northern edge, degrees.</param>
    /// <param name="latBottomDeg">Latitude of the southern edge, degrees.</param>
    /// <param name="lonWidthDeg">Width of the cell in longitude, degrees.</param>
    /// <param name="semiMajorM">Semi-major axis in metres (WGS 84: 6378137).</param>
    /// <param name="inverseFlattening">Inverse flattening (WGS 84: 298.257223563); 0 for a sphere.</param>
    public static double GeographicCellKm2(double latTopDeg, double latBottomDeg, double lonWidthDeg,
        double semiMajorM = 6378137.0, double inverseFlattening = 298.257223563)
    {
        double a = semiMajorM;
        double f = inverseFlattening == 0 ? 0 : 1.0 / inverseFlattening;
        double lambda = Math.Abs(lonWidthDeg) * Math.PI / 180.0;
        double phi1 = latBottomDeg * Math.PI / 180.0;
        double phi2 = latTopDeg * Math.PI / 180.0;
        if (f == 0)
        {
            return Math.Abs(a * a * lambda * (Math.Sin(phi2) - Math.Sin(phi1))) / 1e6;
        }

        double e2 = f * (2 - f);
        double e = Math.Sqrt(e2);
        double b2 = a * a * (1 - e2);
        // Integral of the authalic zone term: q(φ) = sinφ/(1−e²sin²φ) + atanh(e·sinφ)/e.
        double Q(double phi)
        {
            double s = Math.Sin(phi);
            return (s / (1 - (e2 * s * s))) + (Math.Atanh(e * s) / e);
        }

        return Math.Abs(0.5 * b2 * lambda * (Q(phi2) - Q(phi1))) / 1e6;
    }
}
