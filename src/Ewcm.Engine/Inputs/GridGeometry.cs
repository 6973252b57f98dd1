using Ewcm.Engine.Grids;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// Moves polygons (already in the grid's CRS) into grid space, after putting longitudes on the grid's
/// side of the antimeridian and repairing invalid rings.
/// </summary>
public static class GridGeometry
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>Result of preparing one geometry.</summary>
    public readonly record struct Prepared(Geometry Geometry, bool Repaired, bool Shifted);

    /// <summary>
    /// Prepares <paramref name="geometry"/>: longitudes of a geographic grid are moved by ±360° into the
    /// 360° window centred on the grid (so Fiji's parts at -179° join those at 179° on a grid that spans
    /// the antimeridian), the result is made valid (GeometryFixer keeps all of the area of
    /// self-intersecting rings), and only its polygons are kept.
    /// </summary>
    public static Prepared ToGridSpace(Geometry geometry, GridSpec grid, bool geographic) => Prepare(geometry, grid, geographic, owned: false);

    /// <summary>
    /// As <see cref="ToGridSpace"/>, but moves <paramref name="geometry"/> itself into grid space instead of
    /// a copy: for geometries just read and used nowhere else (a copy of a large coverage layer costs as
    /// much as moving it).
    /// </summary>
    internal static Prepared ToGridSpaceInPlace(Geometry geometry, GridSpec grid, bool geographic) => Prepare(geometry, grid, geographic, owned: true);

    private static Prepared Prepare(Geometry geometry, GridSpec grid, bool geographic, bool owned)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry g = geometry;
        bool shifted = false;
        if (geographic)
        {
            double centre = grid.OriginX + (grid.CellWidth * grid.Columns / 2);
            Envelope e = g.EnvelopeInternal;
            if (e.MinX < centre - 180 || e.MaxX >= centre + 180)
            {
                g = g.Copy();
                g.Apply(new LongitudeWrap(centre));
                g.GeometryChanged();
                shifted = true;
            }
        }

        if (owned || shifted)
        {
            g.Apply(ToGrid(grid)); // the transformation marks the geometry changed (envelope recomputed)
        }
        else
        {
            g = ToGrid(grid).Transform(g);
        }

        bool repaired = false;
        // The quick test settles nearly every real polygon; NTS decides the rest (touching rings, ...).
        if (!QuickValidity.IsSurelyValid(g) && !g.IsValid)
        {
            // Parts split at the antimeridian touch along it once shifted, which a MultiPolygon may not:
            // merging them belongs to the shift and is only a repair if the input itself was invalid.
            repaired = !shifted || !geometry.IsValid;
            g = GeometryFixer.Fix(g);
        }

        return new Prepared(Polygons(g), repaired, shifted);
    }

    /// <summary>Grid space (u = column, v = row from the top-left corner) back to the grid's CRS.</summary>
    public static Geometry FromGridSpace(Geometry gridGeometry, GridSpec grid)
    {
        ArgumentNullException.ThrowIfNull(gridGeometry);
        var toCrs = new AffineTransformation(grid.CellWidth, 0, grid.OriginX, 0, -grid.CellHeight, grid.OriginY);
        return toCrs.Transform(gridGeometry);
    }

    private static AffineTransformation ToGrid(GridSpec grid) => new(
        1 / grid.CellWidth, 0, -grid.OriginX / grid.CellWidth,
        0, -1 / grid.CellHeight, grid.OriginY / grid.CellHeight);

    /// <summary>The polygonal part of a geometry, as a Polygon or MultiPolygon (possibly empty).</summary>
    public static Geometry Polygons(Geometry g)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g is Polygon or MultiPolygon)
        {
            return g;
        }

        var list = new List<Polygon>();
        Collect(g, list);
        return list.Count == 1 ? list[0] : Factory.CreateMultiPolygon([.. list]);
    }

    private static void Collect(Geometry g, List<Polygon> output)
    {
        for (int i = 0; i < g.NumGeometries; i++)
        {
            Geometry part = g.GetGeometryN(i);
            if (part is Polygon p && !p.IsEmpty)
            {
                output.Add(p);
            }
            else if (part is GeometryCollection gc && !ReferenceEquals(gc, g))
            {
                Collect(gc, output);
            }
        }
    }

    /// <summary>Puts each longitude within [centre − 180, centre + 180).</summary>
    private sealed class LongitudeWrap(double centre) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (int i = 0; i < seq.Count; i++)
            {
                double x = seq.GetX(i);
                while (x < centre - 180)
                {
                    x += 360;
                }

                while (x >= centre + 180)
                {
                    x -= 360;
                }

                seq.SetX(i, x);
            }
        }
    }
}
