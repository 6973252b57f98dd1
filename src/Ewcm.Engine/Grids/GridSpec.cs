namespace Ewcm.Engine.Grids;

/// <summary>
/// A north-up analysis grid: the population raster's cells. Rows count downward from
/// <see cref="OriginY"/> (the top edge), columns rightward from <see cref="OriginX"/> (the left edge).
/// </summary>
/// <remarks>
/// Geometry is moved into "grid space" (u = column coordinate, v = row coordinate, both in cells) once,
/// so that every cell is the unit square [c, c+1] × [r, r+1] and a polygon's area in grid space is its
/// covered fraction of cells: exact fractions need no further scaling.
/// </remarks>
public readonly record struct GridSpec(double OriginX, double OriginY, double CellWidth, double CellHeight, int Columns, int Rows)
{
    /// <summary>Builds a grid from a GDAL geotransform; rotated or south-up grids are refused.</summary>
    public static GridSpec FromGeoTransform(double[] geoTransform, int columns, int rows)
    {
        ArgumentNullException.ThrowIfNull(geoTransform);
        if (geoTransform.Length != 6)
        {
            throw new ArgumentException("A geotransform has 6 coefficients.", nameof(geoTransform));
        }

        return new GridSpec(geoTransform[0], geoTransform[3], geoTransform[1], -geoTransform[5], columns, rows);
    }

    /// <summary>True when the geotransform has rotation terms or is not north-up.</summary>
    public static bool IsNorthUp(double[] geoTransform)
    {
        ArgumentNullException.ThrowIfNull(geoTransform);
        return geoTransform[2] == 0 && geoTransform[4] == 0 && geoTransform[1] > 0 && geoTransform[5] < 0;
    }

    public long CellCount => (long)Columns * Rows;

    public double MaxX => OriginX + (CellWidth * Columns);

    public double MinY => OriginY - (CellHeight * Rows);

    /// <summary>Column coordinate (in cells, fractional) of a world x.</summary>
    public double ToU(double x) => (x - OriginX) / CellWidth;

    /// <summary>Row coordinate (in cells, fractional, downward) of a world y.</summary>
    public double ToV(double y) => (OriginY - y) / CellHeight;

    public double ToX(double u) => OriginX + (u * CellWidth);

    public double ToY(double v) => OriginY - (v * CellHeight);

    /// <summary>World y of the centre of row <paramref name="row"/>.</summary>
    public double RowCenterY(int row) => OriginY - ((row + 0.5) * CellHeight);

    public double ColumnCenterX(int column) => OriginX + ((column + 0.5) * CellWidth);

    public double[] ToGeoTransform() => [OriginX, CellWidth, 0, OriginY, 0, -CellHeight];
}
