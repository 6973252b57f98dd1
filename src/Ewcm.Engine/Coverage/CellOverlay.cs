using System.Runtime.CompilerServices;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// Exact area, inside one cell, of a combination of geometries known there by their boundary pieces
/// and covered fractions: the area of the points that every group covers, a group covering a point when
/// one of its members does. One group gives the union of its members; the groups {A} and {M1, ..., Mk}
/// give A ∩ (M1 ∪ ... ∪ Mk).
/// </summary>
/// <remarks>
/// <para>
/// A member's winding number at a point (x, y) of the cell is w0, plus the jumps along the cell's edge
/// y = 0 up to x (where its pieces leave or reach that edge), plus the signed pieces crossed going from
/// (x, 0) up to (x, y). Everything but the constant w0 is read off the pieces, and w0 follows from the
/// covered fraction f, because the integral of the winding number over the cell is f. This takes the
/// place of exactextract's walk around the cell perimeter, which has to decide how boundaries touching
/// the cell's edge (at a vertex, a corner, along a grid line) close up: here the only decision is the
/// rounding of a number that is an integer up to rounding error.
/// </para>
/// <para>
/// The area is integrated over vertical slabs between the x of every piece end and every crossing of
/// two members' pieces. Inside a slab no piece starts, ends or crosses another, so the covered length
/// along a vertical line is linear in x and its value at the slab's middle gives the slab's exact area.
/// One instance per thread: it reuses its buffers.
/// </para>
/// </remarks>
public sealed class CellOverlay
{
    private MemberPiece[] _pieces = new MemberPiece[32];
    private EdgeJump[] _jumps = new EdgeJump[16];
    private Crossing[] _crossings = new Crossing[32];
    private double[] _xs = new double[64];
    private int[] _group = new int[8];
    private int[] _base = new int[8];
    private int[] _winding = new int[8];
    private int[] _coveringMembers = new int[8]; // per group
    private int _pieceCount;
    private int _jumpCount;
    private int _members;
    private int _groups;

    /// <summary>Removes every member.</summary>
    public void Clear()
    {
        _pieceCount = 0;
        _jumpCount = 0;
        _members = 0;
        _groups = 0;
    }

    /// <summary>Adds a geometry, as known in one of its partial cells, to group <paramref name="group"/>.</summary>
    public void Add(PartialCell cell, int group) => Add(cell.Pieces, cell.Fraction, group);

    /// <summary>
    /// Adds a geometry given by its <paramref name="pieces"/> inside the cell and the exact
    /// <paramref name="fraction"/> of the cell it covers, to group <paramref name="group"/> (0, 1, ...).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<CellPiece> pieces, double fraction, int group)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        int m = _members++;
        if (m == _group.Length)
        {
            Array.Resize(ref _group, m * 2);
            Array.Resize(ref _base, m * 2);
            Array.Resize(ref _winding, m * 2);
        }

        // The member's area with w0 = 0: Σ over pieces of −dx · (1 − y_mid) (a piece running toward +x
        // has the geometry below it), plus each jump along y = 0 times the width to its right.
        double areaWithoutBase = 0;
        foreach (CellPiece p in pieces)
        {
            AddPiece(new MemberPiece(p.X0, p.Y0, p.X1, p.Y1, m));
            areaWithoutBase -= (p.X1 - p.X0) * (1 - (0.5 * (p.Y0 + p.Y1)));
            if (p.Y0 == 0 && p.Y1 != 0)
            {
                AddJump(new EdgeJump(p.X0, 1, m)); // leaves the edge toward +y: the geometry is on its +x side
                areaWithoutBase += 1 - p.X0;
            }
            else if (p.Y1 == 0 && p.Y0 != 0)
            {
                AddJump(new EdgeJump(p.X1, -1, m));
                areaWithoutBase -= 1 - p.X1;
            }
        }

        _base[m] = (int)Math.Round(fraction - areaWithoutBase);
        _group[m] = group;
        _groups = Math.Max(_groups, group + 1);
    }

    /// <summary>Area of the points covered by every group, as a fraction of the cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Area()
    {
        if (_coveringMembers.Length < _groups)
        {
            _coveringMembers = new int[_groups];
        }

        Array.Clear(_coveringMembers, 0, _groups);
        for (int m = 0; m < _members; m++)
        {
            _coveringMembers[_group[m]]++;
        }

        for (int g = 0; g < _groups; g++)
        {
            if (_coveringMembers[g] == 0)
            {
                return 0; // an empty group covers nothing
            }
        }

        int n = CollectBreakpoints();
        double area = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            double xa = _xs[i], xb = _xs[i + 1];
            if (xb > xa)
            {
                area += (xb - xa) * CoveredLength(0.5 * (xa + xb));
            }
        }

        return Math.Clamp(area, 0, 1);
    }

    /// <summary>Sorted x of the cell's sides, of every piece end and of every crossing of two members' pieces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CollectBreakpoints()
    {
        int n = 0;
        AddX(ref n, 0);
        AddX(ref n, 1);
        for (int i = 0; i < _pieceCount; i++)
        {
            AddX(ref n, _pieces[i].X0);
            AddX(ref n, _pieces[i].X1);
        }

        for (int i = 0; i < _pieceCount; i++)
        {
            ref readonly MemberPiece p = ref _pieces[i];
            for (int j = i + 1; j < _pieceCount; j++)
            {
                ref readonly MemberPiece q = ref _pieces[j];
                if (p.Member != q.Member && TryCross(p, q, out double x))
                {
                    AddX(ref n, x);
                }
            }
        }

        Array.Sort(_xs, 0, n);
        return n;
    }

    /// <summary>The x of a proper crossing of two pieces (not at their ends, which are breakpoints anyway).</summary>
    private static bool TryCross(in MemberPiece p, in MemberPiece q, out double x)
    {
        x = 0;
        if (Math.Max(p.X0, p.X1) <= Math.Min(q.X0, q.X1) || Math.Max(q.X0, q.X1) <= Math.Min(p.X0, p.X1)
            || Math.Max(p.Y0, p.Y1) < Math.Min(q.Y0, q.Y1) || Math.Max(q.Y0, q.Y1) < Math.Min(p.Y0, p.Y1))
        {
            return false;
        }

        double dxp = p.X1 - p.X0, dyp = p.Y1 - p.Y0;
        double dxq = q.X1 - q.X0, dyq = q.Y1 - q.Y0;
        double den = (dxp * dyq) - (dyp * dxq);
        if (den == 0)
        {
            return false; // parallel or collinear: overlapping parts meet only at piece ends
        }

        double ex = q.X0 - p.X0, ey = q.Y0 - p.Y0;
        double t = ((ex * dyq) - (ey * dxq)) / den;
        double s = ((ex * dyp) - (ey * dxp)) / den;
        if (t <= 0 || t >= 1 || s <= 0 || s >= 1)
        {
            return false;
        }

        x = Math.Clamp(p.X0 + (t * dxp), 0, 1);
        return true;
    }

    /// <summary>Length of the vertical line at <paramref name="x"/> (strictly inside a slab) covered by every group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double CoveredLength(double x)
    {
        Array.Clear(_coveringMembers, 0, _groups);
        int coveredGroups = 0;
        for (int m = 0; m < _members; m++)
        {
            _winding[m] = _base[m];
        }

        for (int k = 0; k < _jumpCount; k++)
        {
            if (_jumps[k].X < x)
            {
                _winding[_jumps[k].Member] += _jumps[k].Sign;
            }
        }

        for (int m = 0; m < _members; m++)
        {
            if (_winding[m] > 0 && _coveringMembers[_group[m]]++ == 0)
            {
                coveredGroups++;
            }
        }

        int n = CollectCrossings(x);
        double covered = 0, previous = 0;
        for (int k = 0; k < n; k++)
        {
            ref readonly Crossing c = ref _crossings[k];
            double y = Math.Clamp(c.Y, 0, 1);
            if (coveredGroups == _groups)
            {
                covered += y - previous;
            }

            previous = y;
            int m = c.Member, before = _winding[m];
            int after = _winding[m] = before + c.Sign;
            if (before <= 0 && after > 0 && _coveringMembers[_group[m]]++ == 0)
            {
                coveredGroups++;
            }
            else if (before > 0 && after <= 0 && --_coveringMembers[_group[m]] == 0)
            {
                coveredGroups--;
            }
        }

        if (coveredGroups == _groups)
        {
            covered += 1 - previous;
        }

        return covered;
    }

    /// <summary>Pieces crossing the vertical line at <paramref name="x"/>, sorted by y (insertion sort: a handful).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CollectCrossings(double x)
    {
        int n = 0;
        for (int i = 0; i < _pieceCount; i++)
        {
            ref readonly MemberPiece p = ref _pieces[i];
            if ((p.X0 < x) == (p.X1 < x))
            {
                continue;
            }

            double y = p.Y0 + ((x - p.X0) * (p.Y1 - p.Y0) / (p.X1 - p.X0));
            // Crossing upward: a piece running toward +x has the geometry below it (leaving it), toward −x above.
            var c = new Crossing(y, p.Member, p.X1 > p.X0 ? -1 : 1);
            if (n == _crossings.Length)
            {
                Array.Resize(ref _crossings, n * 2);
            }

            int k = n++;
            while (k > 0 && _crossings[k - 1].Y > y)
            {
                _crossings[k] = _crossings[k - 1];
                k--;
            }

            _crossings[k] = c;
        }

        return n;
    }

    private void AddX(ref int n, double x)
    {
        if (n == _xs.Length)
        {
            Array.Resize(ref _xs, n * 2);
        }

        _xs[n++] = x;
    }

    private void AddPiece(in MemberPiece p)
    {
        if (_pieceCount == _pieces.Length)
        {
            Array.Resize(ref _pieces, _pieceCount * 2);
        }

        _pieces[_pieceCount++] = p;
    }

    private void AddJump(in EdgeJump j)
    {
        if (_jumpCount == _jumps.Length)
        {
            Array.Resize(ref _jumps, _jumpCount * 2);
        }

        _jumps[_jumpCount++] = j;
    }

    private readonly record struct MemberPiece(double X0, double Y0, double X1, double Y1, int Member);

    /// <summary>Where a member's winding number along the edge y = 0 changes, and by how much (x increasing).</summary>
    private readonly record struct EdgeJump(double X, int Sign, int Member);

    private readonly record struct Crossing(double Y, int Member, int Sign);
}
