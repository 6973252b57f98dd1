using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Ewcm.Engine.Overlay;

/// <summary>
/// A polygonal geometry cut into small pieces (a few hundred vertices at most) with a spatial index,
/// so that clipping it to one cell costs the size of a piece, not the size of the whole geometry.
/// </summary>
/// <remarks>
/// The pieces partition the geometry (each cut is an exact intersection with a half of the envelope),
/// so areas over pieces add up to areas over the geometry. Queries are thread-safe once built.
/// </remarks>
public sealed class PieceIndex
{
    private const int MaxPieceVertices = 256;
    private const int MaxDepth = 24;
    private readonly STRtree<Geometry> _tree = new();

    public PieceIndex(Geometry gridGeometry)
    {
        ArgumentNullException.ThrowIfNull(gridGeometry);
        var pieces = new List<Geometry>();
        for (int i = 0; i < gridGeometry.NumGeometries; i++)
        {
            Subdivide(gridGeometry.GetGeometryN(i), 0, pieces);
        }

        foreach (Geometry p in pieces)
        {
            _tree.Insert(p.EnvelopeInternal, p);
        }

        _tree.Build();
        PieceCount = pieces.Count;
    }

    public int PieceCount { get; }

    /// <summary>The part of the geometry inside the axis-aligned box, as polygons (possibly none).</summary>
    public void Clip(Envelope box, Geometry boxPolygon, List<Geometry> output)
    {
        foreach (Geometry piece in _tree.Query(box))
        {
            if (!piece.EnvelopeInternal.Intersects(box))
            {
                continue;
            }

            Geometry clipped = box.Contains(piece.EnvelopeInternal)
                ? piece
                : OverlayNGRobust.Overlay(piece, boxPolygon, SpatialFunction.Intersection);
            if (!clipped.IsEmpty && clipped.Area > 0)
            {
                output.Add(clipped);
            }
        }
    }

    private static void Subdivide(Geometry g, int depth, List<Geometry> output)
    {
        if (g.IsEmpty || g.Area <= 0)
        {
            return;
        }

        if (g.NumPoints <= MaxPieceVertices || depth >= MaxDepth)
        {
            output.Add(g);
            return;
        }

        Envelope e = g.EnvelopeInternal;
        GeometryFactory f = g.Factory;
        Envelope a, b;
        if (e.Width >= e.Height)
        {
            double mid = e.MinX + (e.Width / 2);
            a = new Envelope(e.MinX, mid, e.MinY, e.MaxY);
            b = new Envelope(mid, e.MaxX, e.MinY, e.MaxY);
        }
        else
        {
            double mid = e.MinY + (e.Height / 2);
            a = new Envelope(e.MinX, e.MaxX, e.MinY, mid);
            b = new Envelope(e.MinX, e.MaxX, mid, e.MaxY);
        }

        foreach (Envelope half in new[] { a, b })
        {
            Geometry part = OverlayNGRobust.Overlay(g, f.ToGeometry(half), SpatialFunction.Intersection);
            for (int i = 0; i < part.NumGeometries; i++)
            {
                if (part.GetGeometryN(i) is Polygon p)
                {
                    Subdivide(p, depth + 1, output);
                }
            }
        }
    }
}
