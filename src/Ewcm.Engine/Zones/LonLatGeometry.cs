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

        if (cuts.Count == 0)
        {
            // The usual case: the traced geometry itself is moved to longitude/latitude, no object copied.
            Move(gridGeometry, Shift(x0, x1), grid);
            return gridGeometry as MultiPolygon ?? factory.CreateMultiPolygon([(Polygon)gridGeometry]);
        }

        var parts = new List<Polygon>();
        double[] bounds = [env.MinX, .. cuts, env.MaxX];
        for (int i = 0; i + 1 < bounds.Length; i++)
        {
            Polygon box = factory.CreatePolygon(
            [
                new(bounds[i], env.MinY - 1), new(bounds[i + 1], env.MinY - 1), new(bounds[i + 1], env.MaxY + 1),
                new(bounds[i], env.MaxY + 1), new(bounds[i], env.MinY - 1),
            ]);
            // Copied: the overlay may share point objects between rings, and Move works in place.
            Geometry piece = gridGeometry.Intersection(box).Copy();
            Move(piece, Shift(grid.ToX(bounds[i]), grid.ToX(bounds[i + 1])), grid);
            for (int k = 0; k < piece.NumGeometries; k++)
            {
                if (piece.GetGeometryN(k) is Polygon { IsEmpty: false } p && p.Area > 0)
                {
                    parts.Add(p);
                }
            }
        }

        return factory.CreateMultiPolygon([.. parts]);
    }

    /// <summary>The multiple of 360° that brings the middle of [x0, x1] into −180..180.</summary>
    private static double Shift(double x0, double x1) => -360 * Math.Round((x0 + x1) / 2 / 360);

    /// <summary>
    /// Moves the polygons of <paramref name="g"/> from grid space to longitude/latitude in place, exterior
    /// rings counter-clockwise and holes clockwise. In place, not copied: the geometries given here are built
    /// for this call alone (traced or cut), and a large country has tens of millions of points in millions
    /// of small rings, whose copies would cost more than the transform.
    /// </summary>
    private static void Move(Geometry g, double shift, GridSpec grid)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            if (g.GetGeometryN(i) is Polygon p)
            {
                MoveRing(p.Shell, shift, grid, ccw: true);
                foreach (LinearRing hole in p.Holes)
                {
                    MoveRing(hole, shift, grid, ccw: false);
                }
            }
        }

        g.GeometryChanged(); // the cached envelopes were in grid space
    }

    private static void MoveRing(LinearRing ring, double shift, GridSpec grid, bool ccw)
    {
        // The ring's own array (a CoordinateArraySequence hands it out, not a copy), so moving and reversing
        // it changes the ring. The closing point may be the first point's object: then it is moved once.
        Coordinate[] c = ring.Coordinates;
        int n = ReferenceEquals(c[^1], c[0]) ? c.Length - 1 : c.Length;
        for (int i = 0; i < n; i++)
        {
            Coordinate q = c[i];
            (q.X, q.Y) = (Math.Round(grid.ToX(q.X) + shift, Digits), Math.Round(grid.ToY(-q.Y), Digits));
        }

        if (Orientation.IsCCW(c) != ccw)
        {
            Array.Reverse(c);
        }
    }

    /// <summary>A longitude brought into [−180, 180).</summary>
    public static double NormalizeLongitude(double lon)
    {
        return lon - (360 * Math.Floor((lon + 180) / 360));
    }
}
