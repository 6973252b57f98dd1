using Ewcm.Engine.Grids;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Distance from a zone to the nearest covered cell (any coverage of the lowest level), centre to centre,
/// on the sphere. The rows around the zone are searched in rings: first every run's own row, then one
/// row above and below every run, and so on, stopping at the first ring where the north-south distance
/// alone exceeds the best found for every run (a lower bound, since a great circle is never shorter than
/// its change of latitude). Within a row, a binary search over the covered runs finds the nearest covered
/// column. The cost is the zone's runs times the rings searched: a zone touching coverage (the usual
/// case: its edge cells are partly covered) costs two passes over its runs, whatever its size.
/// </summary>
internal sealed class CoverageDistance(GridSpec grid, CoveredCells covered)
{
    // The haversine's cosines per row and sines per column gap, computed once: the search evaluates
    // millions of candidates on a large country, and these were most of their trigonometry.
    private readonly double[] _cosOfRow = [.. Enumerable.Range(0, grid.Rows).Select(r => Geodesy.CosLat(grid.RowCenterY(r)))];
    private readonly double[] _sinHalfGap = [.. Enumerable.Range(0, grid.Columns + 1).Select(dx => Geodesy.SinHalfDLon(0, dx * grid.CellWidth))];

    /// <summary>Distance in km, or null when no cell of the grid is covered.</summary>
    public double? NearestKm(ReadOnlySpan<CellRun> runs)
    {
        if (covered.IsEmpty)
        {
            return null;
        }

        double best = double.PositiveInfinity;
        bool searched = true;
        for (int d = 0; searched; d++)
        {
            searched = false;
            foreach (CellRun run in runs)
            {
                double lat = grid.RowCenterY(run.Row);
                searched |= Scan(run, run.Row - d, lat, ref best);
                searched |= d > 0 && Scan(run, run.Row + d, lat, ref best);
            }
        }

        return best;
    }

    /// <summary>Improves <paramref name="best"/> from one row; false once the row is off the grid or too far north or south to help.</summary>
    private bool Scan(CellRun run, int row, double lat, ref double best)
    {
        if (row < 0 || row >= grid.Rows)
        {
            return false;
        }

        double rowLat = grid.RowCenterY(row);
        // The meridian arc R·|Δφ| is the haversine distance at equal longitudes, computed without
        // trigonometry (this test runs for every run of every ring); shaved by 1e-12 so that rounding
        // never makes it exceed the haversine figure it stands for.
        if (Geodesy.EarthRadiusKm * Math.Abs(rowLat - lat) * (Math.PI / 180) * (1 - 1e-12) >= best)
        {
            return false;
        }

        int dx = NearestColumnGap(row, run.Start, run.End);
        if (dx == 0 && row == run.Row)
        {
            best = 0; // a covered cell on the run itself: the haversine of a point to itself is exactly 0
        }
        else if (dx >= 0)
        {
            best = Math.Min(best, Geodesy.HaversineKm(lat, _cosOfRow[run.Row], rowLat, _cosOfRow[row], _sinHalfGap[dx]));
        }

        return true;
    }

    /// <summary>Columns between [start, end) and the nearest covered cell of <paramref name="row"/>; 0 if one overlaps, −1 if the row has none.</summary>
    private int NearestColumnGap(int row, int start, int end)
    {
        int lo = covered.RowStart[row], hi = covered.RowStart[row + 1];
        if (lo == hi)
        {
            return -1;
        }

        // First covered run ending after start.
        int a = lo, b = hi;
        while (a < b)
        {
            int m = (a + b) >> 1;
            if (covered.End[m] <= start)
            {
                a = m + 1;
            }
            else
            {
                b = m;
            }
        }

        int gap = int.MaxValue;
        if (a < hi)
        {
            gap = covered.Start[a] < end ? 0 : covered.Start[a] - (end - 1);
        }

        if (a > lo)
        {
            gap = Math.Min(gap, start - (covered.End[a - 1] - 1));
        }

        return gap;
    }
}
