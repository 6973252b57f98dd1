using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// A fast, one-sided validity test for polygons: it answers "surely valid" only for polygons whose
/// rings are simple and pairwise disjoint (not even touching), holes inside their shell and not nested,
/// shells of a MultiPolygon not nested; anything else (including every case it cannot decide with
/// certainty) is "maybe invalid", for which the caller asks NTS. It never calls an invalid geometry valid.
/// </summary>
/// <remarks>
/// Why: NTS IsValid (noding every ring, indexed point-in-area tests) was most of the cost of reading
/// the inputs, yet real admin and coverage polygons are nearly always valid with disjoint rings.
/// Segments are bucketed in a uniform grid (linear for the short segments of real boundaries); every
/// orientation comes from a floating-point filter with a certified error bound (Shewchuk's orient2d
/// bound, widened), and an uncertain sign ends the test as "maybe invalid". Disjoint simple rings cannot
/// disconnect an interior, so with the nesting tests this covers every rule IsValidOp enforces on
/// polygons. Work budgets hand pathological layouts to NTS instead of going quadratic.
/// </remarks>
public static class QuickValidity
{
    /// <summary>Relative error bound of the orientation filter (Shewchuk's bound is 3.3e-16).</summary>
    private const double OrientErrorBound = 1e-15;

    /// <summary>Coordinates kept away from underflow and overflow so that the filter's bound holds.</summary>
    private const double MinMagnitude = 1e-100;

    private const double MaxMagnitude = 1e100;

    /// <summary>True only if <paramref name="geometry"/> is a non-empty Polygon or MultiPolygon that is surely valid.</summary>
    public static bool IsSurelyValid(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.IsEmpty || geometry is not (Polygon or MultiPolygon))
        {
            return false;
        }

        var rings = Rings.From(geometry);
        return rings is not null
            && rings.VerticesAreSimple()
            && rings.SegmentsAreDisjoint()
            && rings.NestingIsValid();
    }

    /// <summary>Sign of the orientation of (a, b, c): 1 left turn, -1 right turn, 0 when the filter cannot tell.</summary>
    internal static int Orientation(double ax, double ay, double bx, double by, double cx, double cy)
    {
        double detLeft = (ax - cx) * (by - cy);
        double detRight = (ay - cy) * (bx - cx);
        double det = detLeft - detRight;
        double detSum;
        if (detLeft > 0)
        {
            if (detRight <= 0)
            {
                return Math.Sign(det);
            }

            detSum = detLeft + detRight;
        }
        else if (detLeft < 0)
        {
            if (detRight >= 0)
            {
                return Math.Sign(det);
            }

            detSum = -detLeft - detRight;
        }
        else
        {
            return Math.Sign(det);
        }

        double bound = OrientErrorBound * detSum;
        return det > bound ? 1 : det < -bound ? -1 : 0;
    }

    /// <summary>The rings of a polygonal geometry, flattened: points, ring starts, the polygon of each ring.</summary>
    private sealed class Rings
    {
        private readonly double[] _x;
        private readonly double[] _y;

        /// <summary>Ring r has points RingStart[r] .. RingStart[r + 1] - 1 (the last repeats the first).</summary>
        private readonly int[] _ringStart;

        /// <summary>Per ring: its polygon's index; a shell is the first ring of its polygon.</summary>
        private readonly int[] _ringPolygon;

        private readonly int[] _polygonFirstRing;

        private Rings(double[] x, double[] y, int[] ringStart, int[] ringPolygon, int[] polygonFirstRing)
        {
            _x = x;
            _y = y;
            _ringStart = ringStart;
            _ringPolygon = ringPolygon;
            _polygonFirstRing = polygonFirstRing;
        }

        private int RingCount => _ringStart.Length - 1;

        /// <summary>Flattens the rings; null when a ring is empty, open, too short or has an unusable coordinate.</summary>
        public static Rings? From(Geometry geometry)
        {
            int polygonCount = geometry.NumGeometries;
            int ringCount = 0;
            int pointCount = 0;
            for (int p = 0; p < polygonCount; p++)
            {
                var polygon = (Polygon)geometry.GetGeometryN(p);
                if (polygon.IsEmpty)
                {
                    return null;
                }

                ringCount += 1 + polygon.NumInteriorRings;
                pointCount += polygon.NumPoints;
            }

            var x = new double[pointCount];
            var y = new double[pointCount];
            var ringStart = new int[ringCount + 1];
            var ringPolygon = new int[ringCount];
            var polygonFirstRing = new int[polygonCount + 1];
            int r = 0;
            int at = 0;
            for (int p = 0; p < polygonCount; p++)
            {
                var polygon = (Polygon)geometry.GetGeometryN(p);
                polygonFirstRing[p] = r;
                for (int h = -1; h < polygon.NumInteriorRings; h++)
                {
                    CoordinateSequence seq = (h < 0 ? polygon.Shell : polygon.GetInteriorRingN(h)).CoordinateSequence;
                    int n = seq.Count;
                    if (n < 4)
                    {
                        return null;
                    }

                    ringStart[r] = at;
                    ringPolygon[r] = p;
                    for (int i = 0; i < n; i++)
                    {
                        double px = seq.GetX(i);
                        double py = seq.GetY(i);
                        if (!Usable(px) || !Usable(py))
                        {
                            return null;
                        }

                        // Repeated points are dropped: they change neither the ring nor its validity.
                        if (at > ringStart[r] && px == x[at - 1] && py == y[at - 1])
                        {
                            continue;
                        }

                        x[at] = px;
                        y[at] = py;
                        at++;
                    }

                    if (at - ringStart[r] < 4 || x[at - 1] != x[ringStart[r]] || y[at - 1] != y[ringStart[r]])
                    {
                        return null;
                    }

                    r++;
                }
            }

            ringStart[r] = at;
            polygonFirstRing[polygonCount] = r;
            if (at < pointCount)
            {
                Array.Resize(ref x, at);
                Array.Resize(ref y, at);
            }

            return new Rings(x, y, ringStart, ringPolygon, polygonFirstRing);
        }

        private static bool Usable(double v)
        {
            double a = Math.Abs(v);
            return a == 0 || (a >= MinMagnitude && a <= MaxMagnitude);
        }

        /// <summary>
        /// The two segments at every vertex meet only there: they turn by a certain angle, or both run
        /// monotonically the same way in x and in y.
        /// </summary>
        public bool VerticesAreSimple()
        {
            for (int r = 0; r < RingCount; r++)
            {
                int first = _ringStart[r];
                int last = _ringStart[r + 1] - 1;
                for (int i = first; i < last; i++)
                {
                    int prev = i == first ? last - 1 : i - 1;
                    int next = i + 1;
                    if (Orientation(_x[prev], _y[prev], _x[i], _y[i], _x[next], _y[next]) == 0
                        && (Math.Sign(_x[i] - _x[prev]) != Math.Sign(_x[next] - _x[i]) || Math.Sign(_y[i] - _y[prev]) != Math.Sign(_y[next] - _y[i])))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// Every two segments that are not neighbours in one ring are surely disjoint. Segments are
        /// bucketed in a uniform grid of cells about twice their mean extent (at most about 4 cells per
        /// segment in all); two segments are compared in the one cell holding the lower-left corner of
        /// the overlap of their boxes.
        /// </summary>
        public bool SegmentsAreDisjoint()
        {
            int count = _x.Length - RingCount;
            var start = new int[count];
            var segmentRing = new int[_x.Length];
            var minX = new double[count];
            var maxX = new double[count];
            var minY = new double[count];
            var maxY = new double[count];
            double extent = 0;
            int k = 0;
            for (int r = 0; r < RingCount; r++)
            {
                for (int i = _ringStart[r]; i < _ringStart[r + 1] - 1; i++)
                {
                    segmentRing[i] = r;
                    start[k] = i;
                    minX[k] = Math.Min(_x[i], _x[i + 1]);
                    maxX[k] = Math.Max(_x[i], _x[i + 1]);
                    minY[k] = Math.Min(_y[i], _y[i + 1]);
                    maxY[k] = Math.Max(_y[i], _y[i + 1]);
                    extent += Math.Max(maxX[k] - minX[k], maxY[k] - minY[k]);
                    k++;
                }
            }

            var grid = new CellGrid(_x, _y, count, 2 * extent / count);
            int cells = grid.Columns * grid.Rows;
            var cellStart = new int[cells + 1];
            long entries = 0;
            for (int t = 0; t < count; t++)
            {
                (int c0, int c1, int r0, int r1) = grid.Range(minX[t], maxX[t], minY[t], maxY[t]);
                entries += (long)(c1 - c0 + 1) * (r1 - r0 + 1);
                if (entries > (16L * count) + 1_000_000)
                {
                    return false;
                }

                for (int row = r0; row <= r1; row++)
                {
                    for (int col = c0; col <= c1; col++)
                    {
                        cellStart[(row * grid.Columns) + col + 1]++;
                    }
                }
            }

            for (int c = 0; c < cells; c++)
            {
                cellStart[c + 1] += cellStart[c];
            }

            var fill = (int[])cellStart.Clone();
            var members = new int[entries];
            for (int t = 0; t < count; t++)
            {
                (int c0, int c1, int r0, int r1) = grid.Range(minX[t], maxX[t], minY[t], maxY[t]);
                for (int row = r0; row <= r1; row++)
                {
                    for (int col = c0; col <= c1; col++)
                    {
                        members[fill[(row * grid.Columns) + col]++] = t;
                    }
                }
            }

            // A crowded cell (many segments through one spot) is handed to NTS rather than tested pair by pair.
            long budget = (64L * count) + 1_000_000;
            for (int c = 0; c < cells; c++)
            {
                for (int a = cellStart[c]; a < cellStart[c + 1]; a++)
                {
                    int u = members[a];
                    for (int b = a + 1; b < cellStart[c + 1]; b++)
                    {
                        if (--budget < 0)
                        {
                            return false;
                        }

                        int v = members[b];
                        if (maxX[v] < minX[u] || minX[v] > maxX[u] || maxY[v] < minY[u] || minY[v] > maxY[u]
                            || grid.Cell(Math.Max(minX[u], minX[v]), Math.Max(minY[u], minY[v])) != c)
                        {
                            continue;
                        }

                        int s0 = start[u], t0 = start[v];
                        if (!Neighbours(s0, t0, segmentRing)
                            && !SurelyDisjoint(_x[s0], _y[s0], _x[s0 + 1], _y[s0 + 1], _x[t0], _y[t0], _x[t0 + 1], _y[t0 + 1]))
                        {
                            return false;
                        }
                    }
                }
            }

            return true;
        }

        /// <summary>Consecutive segments of one ring (including the last and the first).</summary>
        private bool Neighbours(int s, int t, int[] segmentRing)
        {
            int r = segmentRing[s];
            if (segmentRing[t] != r)
            {
                return false;
            }

            int d = Math.Abs(s - t);
            int firstSegment = _ringStart[r];
            int lastSegment = _ringStart[r + 1] - 2;
            return d == 1 || (Math.Min(s, t) == firstSegment && Math.Max(s, t) == lastSegment);
        }

        private static bool SurelyDisjoint(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy)
        {
            int c = Orientation(ax, ay, bx, by, cx, cy);
            if (c != 0 && c == Orientation(ax, ay, bx, by, dx, dy))
            {
                return true;
            }

            int a = Orientation(cx, cy, dx, dy, ax, ay);
            return a != 0 && a == Orientation(cx, cy, dx, dy, bx, by);
        }

        /// <summary>
        /// With pairwise disjoint rings: every hole lies inside its shell, no hole inside another hole of
        /// its polygon, no shell inside another polygon's interior (inside one of its holes is fine).
        /// </summary>
        public bool NestingIsValid()
        {
            // Each test walks a whole ring: many holes in a huge shell are handed to NTS (which indexes it).
            long budget = (64L * _x.Length) + 1_000_000;
            int polygonCount = _polygonFirstRing.Length - 1;
            for (int p = 0; p < polygonCount; p++)
            {
                int shell = _polygonFirstRing[p];
                for (int hole = shell + 1; hole < _polygonFirstRing[p + 1]; hole++)
                {
                    budget -= _ringStart[shell + 1] - _ringStart[shell];
                    if (budget < 0 || Locate(_ringStart[hole], shell) != 1)
                    {
                        return false;
                    }
                }
            }

            var envelopes = new Envelope[RingCount];
            var order = new int[RingCount];
            var left = new double[RingCount];
            for (int r = 0; r < RingCount; r++)
            {
                var e = new Envelope();
                for (int i = _ringStart[r]; i < _ringStart[r + 1]; i++)
                {
                    e.ExpandToInclude(_x[i], _y[i]);
                }

                envelopes[r] = e;
                order[r] = r;
                left[r] = e.MinX;
            }

            Array.Sort(left, order);
            for (int a = 0; a < RingCount; a++)
            {
                int r = order[a];
                for (int b = a + 1; b < RingCount && left[b] <= envelopes[r].MaxX; b++)
                {
                    if (--budget < 0)
                    {
                        return false;
                    }

                    int q = order[b];
                    if (!envelopes[r].Intersects(envelopes[q]) || !Comparable(r, q))
                    {
                        continue;
                    }

                    // Disjoint rings: one lies inside the other only if its envelope lies inside the other's.
                    if ((envelopes[q].Contains(envelopes[r]) && Nested(r, q, ref budget))
                        || (envelopes[r].Contains(envelopes[q]) && Nested(q, r, ref budget)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// Whether ring <paramref name="inner"/> may wrongly lie inside ring <paramref name="outer"/> (true
        /// also when it cannot tell): a hole inside another hole, or a shell inside another polygon's
        /// interior. A shell surely inside one of the other polygon's holes (an island in a lake) is fine.
        /// </summary>
        private bool Nested(int inner, int outer, ref long budget)
        {
            int point = _ringStart[inner];
            budget -= _ringStart[outer + 1] - _ringStart[outer];
            int where = budget < 0 ? 0 : Locate(point, outer);
            if (where != 1)
            {
                return where == 0;
            }

            int polygon = _ringPolygon[outer];
            if (_polygonFirstRing[polygon] != outer)
            {
                return true;
            }

            for (int hole = outer + 1; hole < _polygonFirstRing[polygon + 1]; hole++)
            {
                budget -= _ringStart[hole + 1] - _ringStart[hole];
                where = budget < 0 ? 0 : Locate(point, hole);
                if (where != -1)
                {
                    return where == 0;
                }
            }

            return true;
        }

        /// <summary>Two holes of one polygon, or two shells.</summary>
        private bool Comparable(int r, int q)
        {
            bool rShell = _polygonFirstRing[_ringPolygon[r]] == r;
            bool qShell = _polygonFirstRing[_ringPolygon[q]] == q;
            return (rShell && qShell) || (!rShell && !qShell && _ringPolygon[r] == _ringPolygon[q]);
        }

        /// <summary>
        /// Point <paramref name="point"/> against ring <paramref name="ring"/> by ray crossings: 1 inside,
        /// -1 outside, 0 on the ring or too close to tell.
        /// </summary>
        private int Locate(int point, int ring)
        {
            double px = _x[point], py = _y[point];
            bool inside = false;
            for (int i = _ringStart[ring]; i < _ringStart[ring + 1] - 1; i++)
            {
                double x0 = _x[i], y0 = _y[i], x1 = _x[i + 1], y1 = _y[i + 1];
                if ((y0 > py) == (y1 > py))
                {
                    if (y0 == py && y1 == py && Math.Min(x0, x1) <= px && px <= Math.Max(x0, x1))
                    {
                        return 0;
                    }

                    continue;
                }

                int o = Orientation(x0, y0, x1, y1, px, py);
                if (o == 0)
                {
                    return 0;
                }

                // The edge straddles y = py; it crosses the ray to +x when the point is on its left going up.
                if (y1 > y0 ? o > 0 : o < 0)
                {
                    inside = !inside;
                }
            }

            return inside ? 1 : -1;
        }
    }

    /// <summary>A uniform grid of square cells over the points, with at most about 4 cells per segment.</summary>
    private readonly struct CellGrid
    {
        private readonly double _minX;
        private readonly double _minY;
        private readonly double _size;

        public CellGrid(double[] x, double[] y, int segments, double size)
        {
            double minX = x.Min(), maxX = x.Max(), minY = y.Min(), maxY = y.Max();
            double width = maxX - minX;
            double height = maxY - minY;
            // Cells no smaller than needed for about 2 per segment over the whole box.
            size = Math.Max(size, Math.Sqrt(width * height / (2.0 * segments)));
            if (!(size > 0) || double.IsInfinity(size))
            {
                size = Math.Max(Math.Max(width, height), 1);
            }

            long limit = (4L * segments) + 1024;
            while ((((long)(width / size) + 1) * ((long)(height / size) + 1)) > limit)
            {
                size *= 2;
            }

            _minX = minX;
            _minY = minY;
            _size = size;
            Columns = (int)(width / size) + 1;
            Rows = (int)(height / size) + 1;
        }

        public int Columns { get; }

        public int Rows { get; }

        public int Cell(double x, double y) => (Row(y) * Columns) + Column(x);

        public (int C0, int C1, int R0, int R1) Range(double minX, double maxX, double minY, double maxY) =>
            (Column(minX), Column(maxX), Row(minY), Row(maxY));

        private int Column(double x) => Math.Min(Columns - 1, (int)((x - _minX) / _size));

        private int Row(double y) => Math.Min(Rows - 1, (int)((y - _minY) / _size));
    }
}
