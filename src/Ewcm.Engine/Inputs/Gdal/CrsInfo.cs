using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// Questions about coordinate reference systems given as WKT, answered by GDAL/PROJ. Axis order is
/// always the traditional GIS one (x = longitude or easting, y = latitude or northing).
/// </summary>
public static class CrsInfo
{
    /// <summary>
    /// True when both WKTs describe the same CRS (OSRIsSame in traditional GIS axis order: names, WKT
    /// flavour and the declared lat/lon order of a geographic CRS may differ).
    /// Two empty strings ("no CRS") are the same; an empty and a non-empty one are not.
    /// </summary>
    /// <exception cref="InputException">A WKT does not parse.</exception>
    public static bool IsSame(string wktA, string wktB)
    {
        ArgumentNullException.ThrowIfNull(wktA);
        ArgumentNullException.ThrowIfNull(wktB);
        if (wktA.Length == 0 || wktB.Length == 0)
        {
            return wktA.Length == wktB.Length;
        }

        using SpatialReference a = Parse(wktA);
        using SpatialReference b = Parse(wktB);
        return a.IsSame(b);
    }

    /// <summary>True for a geographic (longitude/latitude in degrees) CRS, false for a projected one.</summary>
    /// <exception cref="InputException">The WKT does not parse.</exception>
    public static bool IsGeographic(string wkt)
    {
        ArgumentException.ThrowIfNullOrEmpty(wkt);
        using SpatialReference srs = Parse(wkt);
        return srs.IsGeographic;
    }

    /// <summary>
    /// A short human label: "EPSG:4326 (WGS 84)" when the CRS has or matches an authority code,
    /// "custom CRS &lt;name&gt;" otherwise, "no CRS" for an empty string.
    /// </summary>
    /// <exception cref="InputException">The WKT does not parse.</exception>
    public static string Describe(string wkt)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        if (wkt.Length == 0)
        {
            return "no CRS";
        }

        using SpatialReference srs = Parse(wkt);
        string name = string.IsNullOrEmpty(srs.Name) ? "unnamed" : srs.Name;
        (string Authority, string Code)? id = srs.Authority ?? srs.FindAuthorityMatch();
        return id is { } found ? $"{found.Authority}:{found.Code} ({name})" : $"custom CRS {name}";
    }

    /// <summary>
    /// WKT for a user-written CRS: "EPSG:4326", "EPSG:32628", a PROJ string, WKT or PROJJSON
    /// (anything OSRSetFromUserInput accepts).
    /// </summary>
    /// <exception cref="InputException"><paramref name="text"/> is not a CRS GDAL understands.</exception>
    public static string FromUserInput(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException("An empty coordinate reference system was given. Write it as an EPSG code such as EPSG:4326.");
        }

        try
        {
            using SpatialReference srs = SpatialReference.FromUserInput(text.Trim());
            return srs.ToWkt();
        }
        catch (GdalException e)
        {
            throw new InputException(
                $"'{text}' is not a coordinate reference system GDAL understands ({e.GdalMessage}). Write it as an EPSG code such as EPSG:4326, or as WKT.",
                e);
        }
    }

    /// <summary>The ellipsoid as [semi-major axis in metres, inverse flattening] (inverse flattening 0 for a sphere).</summary>
    /// <exception cref="InputException">The WKT does not parse.</exception>
    public static double[] SemiMajorAndInverseFlattening(string wkt)
    {
        ArgumentException.ThrowIfNullOrEmpty(wkt);
        using SpatialReference srs = Parse(wkt);
        return [srs.SemiMajor, srs.InverseFlattening];
    }

    /// <summary>Parses WKT, reporting failures as an <see cref="InputException"/>.</summary>
    internal static SpatialReference Parse(string wkt)
    {
        try
        {
            return SpatialReference.FromWkt(wkt, "coordinate reference system");
        }
        catch (GdalException e)
        {
            string start = wkt.Length > 60 ? wkt[..60] + "..." : wkt;
            throw new InputException($"This is not a valid coordinate reference system WKT ({e.GdalMessage}): {start}", e);
        }
    }
}
