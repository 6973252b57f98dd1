using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// The boundary segments of a polygonal geometry in grid space (u = column, v = row, in cells),
/// oriented so that the signed coverage accumulated by <see cref="BandRasterizer"/> is +1 inside.
/// </summary>
/// <remarks>
/// In grid space v grows downward, so the usual orientation flips: shells must run clockwise as NTS
/// sees grid coordinates (which is counter-clockwise on the map) and holes the other way. Rings are
/// re-oriented here instead of trusting the file, because formats disagree on ring order. Either way the
/// geometry lies to the right of every segment in the (u, v) plane: a segment running toward +v has it
/// on its +u side. Horizontal segments are kept: they add no coverage, but they are part of the
/// boundary inside the cells they cross (<see cref="CellPiece"/>).
/// </remarks>
public static class GridEdges
{
    /// <summary>Appends the oriented segments of every polygon in <paramref name="gridGeometry"/>.</summary>
    public static void Append(Geometry gridGeometry, List<Segment> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Segment[] segments = Of(gridGeometry, out int count);
        output.AddRange(new ArraySegment<Segment>(segments, 0, count));
    }

    /// <summary>
    /// The oriented segments of every polygon in <paramref name="gridGeometry"/>, in ring order: the first
    /// <paramref name="count"/> of the returned array (sized by the vertex count, so filled without copies).
    /// </summary>
    public static Segment[] Of(Geometry gridGeometry, out int count)
    {
        ArgumentNullException.ThrowIfNull(gridGeometry);
        var output = new Segment[gridGeometry.NumPoints];
        count = 0;
        AppendParts(gridGeometry, output, ref count);
        return output;
    }

    private static void AppendParts(Geometry gridGeometry, Segment[] output, ref int count)
    {
        for (int i = 0; i < gridGeometry.NumGeometries; i++)
        {
            Geometry part = gridGeometry.GetGeometryN(i);
            if (part is Polygon polygon)
            {
                AppendRing(polygon.Shell, shell: true, output, ref count);
                foreach (LinearRing hole in polygon.Holes)
                {
                    AppendRing(hole, shell: false, output, ref count);
                }
            }
            else if (part is GeometryCollection nested && !ReferenceEquals(nested, gridGeometry))
            {
                AppendParts(nested, output, ref count);
            }
        }
    }

    private static void AppendRing(LinearRing ring, bool shell, Segment[] output, ref int count)
    {
        // Read through the sequence: a packed one (the inputs') would build a Coordinate per vertex for ring.Coordinates.
        CoordinateSequence pts = ring.CoordinateSequence;
        int n = pts.Count;
        if (n < 4)
        {
            return;
        }

        // Shoelace sign in grid space: positive means counter-clockwise in (u, v).
        double twiceArea = 0;
        for (int i = 0; i < n - 1; i++)
        {
            twiceArea += (pts.GetX(i) * pts.GetY(i + 1)) - (pts.GetX(i + 1) * pts.GetY(i));
        }

        bool ccwInGrid = twiceArea > 0;
        bool reverse = shell ? ccwInGrid : !ccwInGrid;
        for (int i = 0; i < n - 1; i++)
        {
            double ax = pts.GetX(i), ay = pts.GetY(i), bx = pts.GetX(i + 1), by = pts.GetY(i + 1);
            if (ax == bx && ay == by)
            {
                continue; // repeated vertex
            }

            output[count++] = reverse ? new Segment(bx, by, ax, ay) : new Segment(ax, ay, bx, by);
        }
    }
}

/// <summary>A directed boundary segment in grid space.</summary>
public readonly record struct Segment(double U0, double V0, double U1, double V1);
