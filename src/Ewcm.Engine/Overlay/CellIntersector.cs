using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Ewcm.Engine.Overlay;

/// <summary>
/// Exact area of cell ∩ A ∩ M for the rare cells that both an admin edge and a coverage edge cross,
/// where the two fractions cannot simply be multiplied. Works in grid space, where a cell's area is 1.
/// </summary>
/// <remarks>One instance per thread: it caches the admin piece of the last cell it clipped.</remarks>
public sealed class CellIntersector
{
    private static readonly GeometryFactory Factory = new();
    private readonly List<Geometry> _adminParts = [];
    private readonly List<Geometry> _maskParts = [];
    private PieceIndex? _lastAdmin;
    private long _lastCell = -1;

    /// <summary>Number of cells clipped exactly so far (diagnostics, benchmarks).</summary>
    public long ExactCells { get; private set; }

    /// <summary>Area of cell (row, col) ∩ admin ∩ mask, as a fraction of the cell.</summary>
    public double Fraction(PieceIndex admin, PieceIndex mask, int row, int col)
    {
        var box = new Envelope(col, col + 1, row, row + 1);
        Geometry boxPolygon = Factory.ToGeometry(box);
        long cell = ((long)row << 32) | (uint)col;
        if (!ReferenceEquals(admin, _lastAdmin) || cell != _lastCell)
        {
            _adminParts.Clear();
            admin.Clip(box, boxPolygon, _adminParts);
            _lastAdmin = admin;
            _lastCell = cell;
        }

        if (_adminParts.Count == 0)
        {
            return 0;
        }

        _maskParts.Clear();
        mask.Clip(box, boxPolygon, _maskParts);
        ExactCells++;
        double area = 0;
        foreach (Geometry a in _adminParts)
        {
            foreach (Geometry m in _maskParts)
            {
                if (a.EnvelopeInternal.Intersects(m.EnvelopeInternal))
                {
                    area += OverlayNGRobust.Overlay(a, m, SpatialFunction.Intersection).Area;
                }
            }
        }

        return Math.Clamp(area, 0, 1);
    }
}
