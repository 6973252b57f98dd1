namespace Ewcm.Engine.Zones;

/// <summary>A horizontal run of cells [<see cref="Start"/>, <see cref="End"/>) of one grid row, labelled with a component.</summary>
public readonly record struct CellRun(int Row, int Start, int End, int Label);

/// <summary>
/// Sums of one connected component (local to a band, or merged). All in fixed point, added per run: a
/// run never depends on the band height, so the sums are identical for any band height and merge order.
/// </summary>
internal sealed class ComponentSums(int extraCount)
{
    public Int128 People;
    public Int128 AreaKm2;
    public Int128 PeopleU; // Σ people × column centre (grid units)
    public Int128 PeopleV; // Σ people × row centre
    public long Cells;
    public int FirstRow = int.MaxValue;
    public int FirstColumn = int.MaxValue;
    public readonly Int128[] Extras = extraCount == 0 ? [] : new Int128[extraCount];

    public void Add(ComponentSums o)
    {
        People += o.People;
        AreaKm2 += o.AreaKm2;
        PeopleU += o.PeopleU;
        PeopleV += o.PeopleV;
        Cells += o.Cells;
        for (int i = 0; i < Extras.Length; i++)
        {
            Extras[i] += o.Extras[i];
        }

        if (o.FirstRow < FirstRow || (o.FirstRow == FirstRow && o.FirstColumn < FirstColumn))
        {
            FirstRow = o.FirstRow;
            FirstColumn = o.FirstColumn;
        }
    }
}

/// <summary>Union-find with path halving; the smaller index becomes the root, so roots are first appearances.</summary>
internal sealed class UnionFind
{
    private readonly int[] _parent;

    /// <summary>Elements 0 .. <paramref name="count"/> − 1, each in its own set.</summary>
    public UnionFind(int count)
    {
        _parent = new int[count];
        for (int i = 0; i < count; i++)
        {
            _parent[i] = i;
        }
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    public void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a < b)
        {
            _parent[b] = a;
        }
        else if (b < a)
        {
            _parent[a] = b;
        }
    }
}
