using Ewcm.Engine.Inputs;
using Ewcm.Engine.Zones;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>
/// Small grids drawn as text, fed to <see cref="ZoneBuilder"/> band by band, and a brute-force flood fill
/// to check it against. Cells: '#' uncovered people, '.' nobody, 'c' covered (fraction 1, nobody
/// uncovered), 'p' half covered (half its people uncovered).
/// </summary>
internal static class ZoneGrids
{
    public static (double[] Uncovered, float[] Covered, int Columns, int Rows) Parse(string[] rows)
    {
        int columns = rows[0].Length;
        var uncovered = new double[columns * rows.Length];
        var covered = new float[columns * rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int i = (r * columns) + c;
                // People vary by cell so that sums would notice a lost or doubled cell.
                double people = 1 + (0.125 * ((r * 7) + (c * 3)) % 5);
                switch (rows[r][c])
                {
                    case '#': uncovered[i] = people; break;
                    case 'c': covered[i] = 1; break;
                    case 'p': uncovered[i] = people / 2; covered[i] = 0.5f; break;
                }
            }
        }

        return (uncovered, covered, columns, rows.Length);
    }

    /// <summary>Labels the grid in bands of <paramref name="bandHeight"/> rows, fed bottom band first.</summary>
    public static ZoneSet Label(double[] uncovered, float[] covered, int columns, int rows, int bandHeight, int connectivity,
        double minCellPeople = 0, float[][]? extras = null, string[]? extraNames = null)
    {
        var builder = new ZoneBuilder(columns, rows, _ => 1.0,
            new BlankZoneSettings(Connectivity: connectivity, MinPeople: 0, MinCellPeople: minCellPeople), extraNames ?? []);
        int bands = (rows + bandHeight - 1) / bandHeight;
        for (int b = bands - 1; b >= 0; b--)
        {
            int row0 = b * bandHeight;
            int n = Math.Min(bandHeight, rows - row0) * columns;
            IReadOnlyList<ReadOnlyMemory<float>> layers = extras is null ? [] : [.. extras.Select(e => new ReadOnlyMemory<float>(e, row0 * columns, n))];
            builder.AcceptBand(b, row0, n / columns, uncovered.AsSpan(row0 * columns, n), covered.AsSpan(row0 * columns, n), layers, null);
        }

        return builder.Merge();
    }

    public static ZoneSet Label(string[] rows, int bandHeight, int connectivity)
    {
        (double[] u, float[] c, int columns, int n) = Parse(rows);
        return Label(u, c, columns, n, bandHeight, connectivity);
    }

    /// <summary>Components by flood fill, in order of their first cell: (first row, first column, cells, people).</summary>
    public static List<(int Row, int Column, int Cells, double People)> FloodFill(double[] uncovered, int columns, int rows, int connectivity)
    {
        var seen = new bool[uncovered.Length];
        var result = new List<(int, int, int, double)>();
        for (int start = 0; start < uncovered.Length; start++)
        {
            if (seen[start] || !(uncovered[start] > 0))
            {
                continue;
            }

            int cells = 0;
            double people = 0;
            var stack = new Stack<int>([start]);
            seen[start] = true;
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                cells++;
                people += uncovered[i];
                int r = i / columns, c = i % columns;
                for (int dr = -1; dr <= 1; dr++)
                {
                    for (int dc = -1; dc <= 1; dc++)
                    {
                        int rr = r + dr, cc = c + dc;
                        if ((dr == 0 && dc == 0) || rr < 0 || rr >= rows || cc < 0 || cc >= columns || (connectivity == 4 && dr != 0 && dc != 0))
                        {
                            continue;
                        }

                        int j = (rr * columns) + cc;
                        if (!seen[j] && uncovered[j] > 0)
                        {
                            seen[j] = true;
                            stack.Push(j);
                        }
                    }
                }
            }

            result.Add((start / columns, start % columns, cells, people));
        }

        return result;
    }

    /// <summary>The zone's cells as unit squares in the tracer's (u, −v) space, unioned the slow way.</summary>
    public static Geometry CellUnion(ZoneSet set, int zone)
    {
        var f = new GeometryFactory();
        var squares = new List<Geometry>();
        foreach (CellRun run in set.RunsOf(zone))
        {
            for (int c = run.Start; c < run.End; c++)
            {
                squares.Add(f.ToGeometry(new Envelope(c, c + 1, -run.Row, -run.Row - 1)));
            }
        }

        return NetTopologySuite.Operation.Union.CascadedPolygonUnion.Union(squares);
    }
}
