using Ewcm.Engine.Coverage;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Coverage;

/// <summary>
/// Test helpers: a geometry rasterized over a small grid in one band, read back cell by cell, and NTS's
/// answer for the same cell (grid space: x = column, y = row downward, cells are unit squares).
/// </summary>
internal static class LocalCells
{
    private static readonly GeometryFactory F = new();

    /// <summary>Rasterizes <paramref name="g"/> over rows [0, rows) of a grid of <paramref name="cols"/> columns.</summary>
    public static BandCoverage Rasterize(Geometry g, int cols, int rows)
    {
        var segments = new List<Segment>();
        GridEdges.Append(g, segments);
        var coverage = new BandCoverage();
        new BandRasterizer(cols).Rasterize(segments.ToArray(), 0, rows, coverage);
        return coverage;
    }

    /// <summary>The coverage of cell (row, col): its fraction, and its partial-cell parts when 0 &lt; fraction &lt; 1.</summary>
    public static (double Fraction, PartialCell[] Parts) Cell(BandCoverage coverage, int row, int col)
    {
        for (int k = coverage.RowOffsets[row]; k < coverage.RowOffsets[row + 1]; k++)
        {
            if (coverage.Start[k] <= col && col < coverage.End[k])
            {
                return (coverage.Value[k], coverage.PartsOf(k).ToArray());
            }
        }

        return (0, []);
    }

    /// <summary>The unit square of cell (row, col).</summary>
    public static Geometry Box(int row, int col) => F.ToGeometry(new Envelope(col, col + 1, row, row + 1));

    /// <summary>NTS: area of cell (row, col) ∩ every geometry given.</summary>
    public static double NtsArea(int row, int col, params Geometry[] geometries)
    {
        Geometry g = Box(row, col);
        foreach (Geometry other in geometries)
        {
            g = g.Intersection(other);
        }

        return g.Area;
    }

    /// <summary>Area of the cell covered by every group, a group being the parts given for it (<see cref="CellOverlay"/>).</summary>
    public static double OverlayArea(params PartialCell[][] groups)
    {
        var overlay = new CellOverlay();
        for (int g = 0; g < groups.Length; g++)
        {
            foreach (PartialCell part in groups[g])
            {
                overlay.Add(part, g);
            }
        }

        return overlay.Area();
    }
}
