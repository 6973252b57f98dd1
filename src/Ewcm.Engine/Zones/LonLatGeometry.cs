using Ewcm.Engine.Grids;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Zone polygons from grid space (u, −v) to longitude/latitude for GeoJSON (RFC 7946): longitudes in
/// −180..180, a zone crossing the antimeridian split there into a MultiPolygon, exterior rings
/// counter-clockwise and holes clockwise, coordinates rounded to 1e-7°.
/// </summary>
internal static class LonLatGeometry
{
    private const int Digits = 7;

    public static MultiPolygon From(Geometry gridGeometry, GridSpec grid, GeometryFactory factory)
    {
        Envelope env = gridGeometry.EnvelopeInternal;
        // Meridians ±180 (+360k) inside the zone, in grid u; snapped to the cell edge they fall on.
        var cuts = new List<double>();
        double x0 = grid.ToX(env.MinX), x1 = grid.ToX(env.MaxX);
        for (double m = (Math.Floor((x0 - 180) / 360) * 360) + 180; m <= x1; m += 360)
        {
            double u = grid.ToU(m);
            if (Math.Abs(u - Math.Round(u)) < 1e-6)
            {
                u = Math.Round(u);
            }

            if (u > env.MinX && u < env.MaxX)
            {
                cuts.Add(u);
            }
        }

        var parts = new List<Polygon>();
        if (cuts.Count == 0)
        {
            AddParts(gridGeometry, Shift(x0, x1), grid, factory, parts);
        }
        else
        {
            double[] bounds = [env.MinX, .. cuts, env.MaxX];
            for (int i = 0; i + 1 < bounds.Length; i++)
            {
                Polygon box = factory.CreatePolygon(
                [
                    new(bounds[i], env.MinY - 1), new(bounds[i + 1], env.MinY - 1), new(bounds[i + 1], env.MaxY + 1),
                    new(bounds[i], env.MaxY + 1), new(bounds[i], env.MinY - 1),
                ]);
                // Copied: the overlay may share point objects between rings, and Ring moves points in place.
                AddParts(gridGeometry.Intersection(box).Copy(), Shift(grid.ToX(bounds[i]), grid.ToX(bounds[i + 1])), grid, factory, parts);
            }
        }

        return factory.CreateMultiPolygon([.. parts]);
    }

    /// <summary>The multiple of 360° that brings the middle of [x0, x1] into −180..180.</summary>
    private static double Shift(double x0, double x1) => -360 * Math.Round((x0 + x1) / 2 / 360);

    private static void AddParts(Geometry g, double shift, GridSpec grid, GeometryFactory factory, List<Polygon> parts)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is Polygon { IsEmpty: false } p && p.Area > 0)
            {
                LinearRing shell = Ring(p.ExteriorRing, shift, grid, factory, ccw: true);
                LinearRing[] holes = [.. p.InteriorRings.Select(h => Ring(h, shift, grid, factory, ccw: false))];
                parts.Add(factory.CreatePolygon(shell, holes));
            }
        }
    }

    /// <summary>
    /// The ring in longitude/latitude. Its coordinates are moved in place, not copied: the geometries given
    /// here are built for this call alone (traced or cut), and a large country has tens of millions of
    /// vertices, whose copies would cost more than the transform.
    /// </summary>
    private static LinearRing Ring(LineString ring, double shift, GridSpec grid, GeometryFactory factory, bool ccw)
    {
        Coordinate[] c = ring.Coordinates;
        // The closing point may be the first point's object; it is moved once and set again at the end.
        for (int i = 0; i + 1 < c.Length; i++)
        {
            Coordinate p = c[i];
            (p.X, p.Y) = (Math.Round(grid.ToX(p.X) + shift, Digits), Math.Round(grid.ToY(-p.Y), Digits));
        }

        c[^1] = c[0].Copy();
        if (Orientation.IsCCW(c) != ccw)
        {
            Array.Reverse(c);
        }

        return factory.CreateLinearRing(c);
    }

    /// <summary>A longitude brought into [−180, 180).</summary>
    public static double NormalizeLongitude(double lon)
    {
        return lon - (360 * Math.Floor((lon + 180) / 360));
    }
}
