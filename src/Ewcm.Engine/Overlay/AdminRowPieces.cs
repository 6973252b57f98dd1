using System.Runtime.CompilerServices;

namespace Ewcm.Engine.Overlay;

/// <summary>
/// The admin units present in one grid row, as disjoint column intervals with the units sharing each.
/// </summary>
/// <remarks>
/// Units of one level should partition the country, but real boundaries have digitising slivers where
/// two units overlap. Where the fractions of the units sharing a cell add up to more than 1, each is
/// scaled down (<see cref="AdminPiece.Scale"/>) so that a person is never counted twice.
/// </remarks>
internal sealed class AdminRowPieces
{
    private const double OverlapTolerance = 1e-9;
    private readonly List<AdminPiece> _raw = [];
    private readonly List<int> _bounds = [];

    public List<AdminPiece> Pieces { get; } = [];

    /// <summary>Cells of this row where units overlapped by more than rounding (diagnostics).</summary>
    public long OverlapCells { get; private set; }

    public void Clear() => _raw.Clear();

    /// <summary>Adds span <paramref name="span"/> of <paramref name="unit"/>'s band coverage: columns [start, end) at <paramref name="fraction"/>.</summary>
    public void Add(int start, int end, int unit, int span, double fraction) => _raw.Add(new AdminPiece(start, end, unit, span, fraction, 1));

    /// <summary>Resolves overlaps and sorts the pieces by column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build()
    {
        Pieces.Clear();
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_raw).Sort(default(ByStartThenUnit));
        int i = 0;
        while (i < _raw.Count)
        {
            // A cluster: spans chained by overlap. Almost always a single span.
            int j = i + 1;
            int clusterEnd = _raw[i].End;
            while (j < _raw.Count && _raw[j].Start < clusterEnd)
            {
                clusterEnd = Math.Max(clusterEnd, _raw[j].End);
                j++;
            }

            if (j == i + 1)
            {
                Pieces.Add(_raw[i]);
            }
            else
            {
                ResolveCluster(i, j);
            }

            i = j;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ResolveCluster(int from, int to)
    {
        _bounds.Clear();
        for (int k = from; k < to; k++)
        {
            _bounds.Add(_raw[k].Start);
            _bounds.Add(_raw[k].End);
        }

        _bounds.Sort();
        for (int b = 0; b + 1 < _bounds.Count; b++)
        {
            int s = _bounds[b], e = _bounds[b + 1];
            if (s == e)
            {
                continue;
            }

            double total = 0;
            int first = Pieces.Count;
            for (int k = from; k < to; k++)
            {
                AdminPiece p = _raw[k];
                if (p.Start <= s && p.End >= e)
                {
                    total += p.Fraction;
                    Pieces.Add(p with { Start = s, End = e });
                }
            }

            if (total > 1 + OverlapTolerance)
            {
                OverlapCells += e - s;
                double scale = 1 / total;
                for (int k = first; k < Pieces.Count; k++)
                {
                    Pieces[k] = Pieces[k] with { Scale = scale };
                }
            }
        }
    }

    public void ResetDiagnostics() => OverlapCells = 0;

    /// <summary>A struct comparer, so that the sort is specialized instead of calling a delegate per comparison.</summary>
    private readonly struct ByStartThenUnit : IComparer<AdminPiece>
    {
        public int Compare(AdminPiece x, AdminPiece y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : x.Unit.CompareTo(y.Unit);
    }
}

/// <summary>
/// Columns [Start, End) of a row lie in <see cref="Unit"/> by <see cref="Fraction"/> of their area; they
/// come from span <see cref="Span"/> of the unit's band coverage (a single cell when the fraction is partial).
/// </summary>
internal readonly record struct AdminPiece(int Start, int End, int Unit, int Span, double Fraction, double Scale)
{
    public double Weight => Fraction * Scale;
}
