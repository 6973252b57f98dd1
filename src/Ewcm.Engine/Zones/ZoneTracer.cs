using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Turns a zone's runs of cells into polygons that follow the cell edges exactly, by tracing the
/// boundary: linear in the number of runs. Coordinates are (u, −v): columns to the right, rows downward
/// as negative y, so the affine map to world coordinates keeps orientation.
/// </summary>
/// <remarks>
/// Boundary segments are directed with the zone on their right (in row-down grid space). Where two zone
/// cells touch only at a corner, the tracer turns right, keeping the cells apart; a ring that still passes
/// a vertex twice (the cells outside touching at a corner) is cut there into simple rings. Rings then touch
/// at single points but never cross or touch themselves, so 8-connected zones give valid (Multi)Polygons
/// whose parts or holes touch at points, as the OGC rules allow. Each ring borders one edge-connected part
/// of the zone (an 8-connected zone has several parts where cells touch only at corners), and each part has
/// one outer ring: holes go to the outer ring of their part, found by union-find over the runs.
/// </remarks>
internal static class ZoneTracer
{
    [ThreadStatic]
    private static EdgeList? t_edges;

    public static Geometry Trace(ReadOnlySpan<CellRun> runs, GeometryFactory factory)
    {
        // One edge list per thread, cleared between zones: its large arrays are allocated once, not per
        // zone, which would otherwise churn the large-object heap and trigger full collections.
        EdgeList edges = t_edges ??= new EdgeList();
        edges.Clear();
        // Edge-connected parts of the zone: each traced ring borders exactly one (the tracer keeps cells
        // touching at a corner apart), so a hole belongs to the shell of its part, with no geometry test.
        var parts = new UnionFind(runs.Length);
        int g = 0;
        int prevFrom = 0, prevTo = 0, prevRow = int.MinValue;
        while (g < runs.Length)
        {
            int row = runs[g].Row;
            int to = g;
            while (to < runs.Length && runs[to].Row == row)
            {
                to++;
            }

            int nextTo = to;
            while (nextTo < runs.Length && runs[nextTo].Row == row + 1)
            {
                nextTo++;
            }

            ReadOnlySpan<CellRun> above = prevRow == row - 1 ? runs[prevFrom..prevTo] : [];
            ReadOnlySpan<CellRun> below = runs[to..nextTo];
            int aboveBase = prevFrom, rowBase = g;
            ZoneBuilder.Connect(above, runs[g..to], 0, (i, j) => parts.Union(aboveBase + i, rowBase + j));
            int pa = 0, pb = 0;
            for (int k = g; k < to; k++)
            {
                CellRun run = runs[k];
                edges.CurrentRun = k;
                // Top edges run east, bottom edges west, right edges south, left edges north.
                Gaps(run.Start, run.End, above, ref pa, edges, row, top: true);
                edges.Add(run.End, row, run.End, row + 1, 1);
                Gaps(run.Start, run.End, below, ref pb, edges, row + 1, top: false);

                edges.Add(run.Start, row + 1, run.Start, row, 3);
            }

            prevFrom = g;
            prevTo = to;
            prevRow = row;
            g = to;
        }

        return Assemble(edges.TraceRings(), parts, factory);
    }

    /// <summary>
    /// A simplified outline: the union of the blocks of <paramref name="block"/> × <paramref name="block"/>
    /// cells (aligned on the grid's origin, cut at its last row and column) that hold a cell of the zone.
    /// Every cell of the zone stays inside, so no one is dropped; the outline follows block edges, with
    /// about <paramref name="block"/> times fewer vertices on a ragged boundary, and small holes close.
    /// </summary>
    /// <remarks>
    /// Traced as an ordinary zone on the grid of blocks, then scaled: the map from block to cell
    /// coordinates, min(c × block, columns) per axis, is strictly increasing, so the valid polygon on the
    /// blocks stays valid. Outlines of neighbouring zones may overlap; their attributes come from their
    /// cells either way.
    /// </remarks>
    public static Geometry TraceOnBlocks(ReadOnlySpan<CellRun> runs, int block, int columns, int rows, GeometryFactory factory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        if (block == 1)
        {
            return Trace(runs, factory);
        }

        var blocks = new List<CellRun>(runs.Length);
        foreach (CellRun run in runs)
        {
            blocks.Add(new CellRun(run.Row / block, run.Start / block, (run.End + block - 1) / block, 0));
        }

        // Sorted by block row then start, and merged where they overlap or meet: runs must be maximal.
        blocks.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Start.CompareTo(b.Start));
        int n = 0;
        for (int i = 0; i < blocks.Count; i++)
        {
            if (n > 0 && blocks[n - 1].Row == blocks[i].Row && blocks[i].Start <= blocks[n - 1].End)
            {
                blocks[n - 1] = blocks[n - 1] with { End = Math.Max(blocks[n - 1].End, blocks[i].End) };
            }
            else
            {
                blocks[n++] = blocks[i];
            }
        }

        Geometry shape = Trace(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blocks)[..n], factory);
        var seen = new HashSet<Coordinate>(ReferenceEqualityComparer.Instance);
        foreach (Coordinate c in shape.Coordinates)
        {
            if (seen.Add(c)) // a point object shared by two rings is scaled once
            {
                (c.X, c.Y) = (Math.Min(c.X * block, columns), -Math.Min(-c.Y * block, rows));
            }
        }

        shape.GeometryChanged();
        return shape;
    }

    /// <summary>
    /// Adds an edge on line <paramref name="v"/> for each part of [start, end) not covered by
    /// <paramref name="cover"/> (sorted runs): eastward for a top edge, westward for a bottom edge.
    /// <paramref name="p"/> advances across calls.
    /// </summary>
    private static void Gaps(int start, int end, ReadOnlySpan<CellRun> cover, ref int p, EdgeList edges, int v, bool top)
    {
        while (p < cover.Length && cover[p].End <= start)
        {
            p++;
        }

        int at = start;
        for (int i = p; i < cover.Length && cover[i].Start < end; i++)
        {
            if (cover[i].Start > at)
            {
                AddGap(edges, at, cover[i].Start, v, top);
            }

            at = Math.Max(at, cover[i].End);
        }

        if (at < end)
        {
            AddGap(edges, at, end, v, top);
        }
    }

    private static void AddGap(EdgeList edges, int a, int b, int v, bool top)
    {
        if (top)
        {
            edges.Add(a, v, b, v, 0);
        }
        else
        {
            edges.Add(b, v, a, v, 2);
        }
    }

    private static Geometry Assemble(List<(Coordinate[] Ring, int Run)> rings, UnionFind parts, GeometryFactory factory)
    {
        var shells = new List<LinearRing>();
        var shellOfPart = new Dictionary<int, int>();
        var holes = new List<(LinearRing Ring, int Part)>();
        foreach ((Coordinate[] ring, int run) in rings)
        {
            // The zone is on the right of every edge in row-down space, so in (u, −v) shells run clockwise
            // and holes counter-clockwise; reversed here to the usual exterior-CCW, holes-CW order.
            bool shell = SignedArea(ring) < 0;
            Array.Reverse(ring);
            int part = parts.Find(run);
            if (shell)
            {
                if (!shellOfPart.TryAdd(part, shells.Count))
                {
                    throw new InvalidOperationException("Zone tracing: an edge-connected part has two outer rings.");
                }

                shells.Add(factory.CreateLinearRing(ring));
            }
            else
            {
                holes.Add((factory.CreateLinearRing(ring), part));
            }
        }

        if (shells.Count == 1)
        {
            return factory.CreatePolygon(shells[0], [.. holes.Select(h => h.Ring)]);
        }

        var holesOf = shells.Select(_ => new List<LinearRing>()).ToList();
        foreach ((LinearRing hole, int part) in holes)
        {
            if (!shellOfPart.TryGetValue(part, out int s))
            {
                throw new InvalidOperationException("Zone tracing: a hole borders a part with no outer ring.");
            }

            holesOf[s].Add(hole);
        }

        return factory.CreateMultiPolygon([.. shells.Select((s, i) => factory.CreatePolygon(s, [.. holesOf[i]]))]);
    }

    private static double SignedArea(Coordinate[] ring)
    {
        double s = 0;
        for (int i = 0; i + 1 < ring.Length; i++)
        {
            s += (ring[i].X * ring[i + 1].Y) - (ring[i + 1].X * ring[i].Y);
        }

        return s / 2;
    }

    /// <summary>Directed boundary segments indexed by their start vertex.</summary>
    private sealed class EdgeList
    {
        private readonly List<(int U0, int V0, int U1, int V1, int Dir)> _edges = [];
        private readonly List<int> _nextAtVertex = [];
        private readonly List<int> _runOf = [];

        /// <summary>The run whose cell lies on the right of the edges added next.</summary>
        public int CurrentRun { get; set; }
        private readonly Dictionary<long, int> _firstAtVertex = new(VertexKeyComparer.Instance);
        private readonly List<bool> _used = [];
        private readonly List<Coordinate> _points = [];
        private readonly List<bool> _pinched = [];
        private readonly List<Coordinate> _path = [];
        private readonly Dictionary<long, int> _pinchAt = new(VertexKeyComparer.Instance);

        public void Clear()
        {
            _edges.Clear();
            _nextAtVertex.Clear();
            _runOf.Clear();
            Reset(_firstAtVertex);
        }

        /// <summary>
        /// Empties a reused dictionary. Clear costs its whole bucket array, so one grown by a big zone is
        /// shrunk back: otherwise every small zone after it would pay for the big one.
        /// </summary>
        private static void Reset(Dictionary<long, int> d)
        {
            bool big = d.Count > (1 << 14);
            d.Clear();
            if (big)
            {
                d.TrimExcess();
            }
        }

        public void Add(int u0, int v0, int u1, int v1, int dir)
        {
            int index = _edges.Count;
            _edges.Add((u0, v0, u1, v1, dir));
            _runOf.Add(CurrentRun);
            ref int first = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_firstAtVertex, Key(u0, v0), out bool seen);
            _nextAtVertex.Add(seen ? first : -1);
            first = index;
        }

        /// <summary>The closed rings, each with a run it borders (every ring borders one edge-connected part).</summary>
        public List<(Coordinate[] Ring, int Run)> TraceRings()
        {
            System.Runtime.InteropServices.CollectionsMarshal.SetCount(_used, _edges.Count);
            Span<bool> used = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_used);
            used.Clear();
            var rings = new List<(Coordinate[], int)>();
            List<Coordinate> points = _points;
            List<bool> pinched = _pinched;
            for (int e0 = 0; e0 < _edges.Count; e0++)
            {
                if (used[e0])
                {
                    continue;
                }

                points.Clear();
                pinched.Clear();
                bool anyPinch = false;
                int e = e0;
                int lastDir = -1;
                bool atPinch = IsPinch(_edges[e0].U0, _edges[e0].V0);
                while (true)
                {
                    used[e] = true;
                    var edge = _edges[e];
                    if (edge.Dir != lastDir)
                    {
                        points.Add(new Coordinate(edge.U0, -edge.V0));
                        // Only a vertex with two outgoing edges (cells touching at a corner) can be passed twice.
                        pinched.Add(atPinch);
                        anyPinch |= atPinch;
                        lastDir = edge.Dir;
                    }

                    int next = NextEdge(edge.U1, edge.V1, edge.Dir, out atPinch);
                    if (next < 0 || next == e0 || used[next])
                    {
                        break;
                    }

                    e = next;
                }

                // The walk ends back at e0's start; drop its first point if the closing segment continues it.
                if (points.Count > 1 && _edges[e].Dir == _edges[e0].Dir)
                {
                    points.RemoveAt(0);
                    pinched.RemoveAt(0);
                }

                if (anyPinch)
                {
                    SplitAtRepeatedVertices(points, pinched, rings, _runOf[e0]);
                }
                else
                {
                    points.Add(points[0].Copy());
                    rings.Add(([.. points], _runOf[e0]));
                }
            }

            return rings;
        }

        /// <summary>
        /// Adds the closed ring through <paramref name="points"/> to <paramref name="rings"/>, cut into simple
        /// rings where it passes a vertex twice (around a corner contact of the cells outside the zone, e.g.
        /// a hole of two cells touching diagonally): OGC rings may touch each other at a point, not themselves.
        /// </summary>
        private void SplitAtRepeatedVertices(List<Coordinate> points, List<bool> pinched, List<(Coordinate[], int)> rings, int run)
        {
            // Reused from zone to zone, like the edge lists: most rings of a sparse 8-connected zone are short
            // and pinched, and a fresh dictionary and path per ring cost more than the walk.
            List<Coordinate> path = _path;
            Dictionary<long, int> at = _pinchAt;
            path.Clear();
            Reset(at);
            for (int q = 0; q < points.Count; q++)
            {
                Coordinate p = points[q];
                if (!pinched[q])
                {
                    path.Add(p); // passed once only: never a loop's end, and never looked up
                    continue;
                }

                long key = Key((int)p.X, (int)-p.Y);
                if (at.TryGetValue(key, out int i))
                {
                    // path[i..] with p again closes a loop; cut it off and carry on from path[i]. The loop gets
                    // its own copy of path[i]: no two rings share a point object (LonLatGeometry moves points in place).
                    var loop = new Coordinate[path.Count - i + 1];
                    loop[0] = path[i].Copy();
                    path.CopyTo(i + 1, loop, 1, path.Count - i - 1);
                    loop[^1] = p;
                    rings.Add((loop, run));
                    for (int k = i + 1; k < path.Count; k++)
                    {
                        at.Remove(Key((int)path[k].X, (int)-path[k].Y));
                    }

                    path.RemoveRange(i + 1, path.Count - i - 1);
                    continue;
                }

                at[key] = path.Count;
                path.Add(p);
            }

            path.Add(path[0].Copy());
            rings.Add(([.. path], run));
        }

        /// <summary>True when two edges leave (u, v).</summary>
        private bool IsPinch(int u, int v) => _nextAtVertex[_firstAtVertex[Key(u, v)]] >= 0;

        /// <summary>
        /// The edge leaving (u, v); of two (cells touching at a corner, <paramref name="pinch"/> true), the
        /// one turning right, which keeps them apart.
        /// </summary>
        private int NextEdge(int u, int v, int dir, out bool pinch)
        {
            pinch = false;
            if (!_firstAtVertex.TryGetValue(Key(u, v), out int e))
            {
                return -1;
            }

            int other = _nextAtVertex[e];
            if (other < 0)
            {
                return e;
            }

            pinch = true;
            return _edges[e].Dir == (dir + 1) % 4 ? e : other;
        }

        private static long Key(int u, int v) => ((long)v << 32) | (uint)u;
    }

    /// <summary>
    /// Hashes vertex keys by Fibonacci hashing. The default hash of a long (low ^ high half) is u ^ v here,
    /// which takes only a few thousand values over a zone: buckets fill up and the tracer turns quadratic.
    /// </summary>
    private sealed class VertexKeyComparer : IEqualityComparer<long>
    {
        public static readonly VertexKeyComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }
}
