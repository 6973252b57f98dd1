using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Zones;

/// <summary>
/// The listed zones of a grid (at least the minimum of people; numbered by first cell in row-major order)
/// with their sums and runs of cells, the smaller zones as a count and a sum, the covered cells, and the
/// people outside every zone.
/// </summary>
public sealed class ZoneSet
{
    private readonly ComponentSums[] _sums;
    private readonly CellRun[] _runs;
    private readonly int[] _runStart;
    private readonly int[] _units;
    private readonly int[] _unitStart;

    internal ZoneSet(int columns, int rows, ComponentSums[] sums, CellRun[] runs, int[] runStart, int[] units, int[] unitStart,
        CoveredCells covered, int smallZones, Int128 smallZonePeople, Int128 belowCellMinimum, Int128 allUncovered,
        IReadOnlyList<string> extraLayerNames)
    {
        SmallZones = smallZones;
        SmallZonePeopleFixed = smallZonePeople;
        _units = units;
        _unitStart = unitStart;
        Columns = columns;
        Rows = rows;
        _sums = sums;
        _runs = runs;
        _runStart = runStart;
        Covered = covered;
        BelowCellMinimumFixed = belowCellMinimum;
        AllUncoveredFixed = allUncovered;
        ExtraLayerNames = extraLayerNames;
    }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Number of listed zones.</summary>
    public int Count => _sums.Length;

    /// <summary>Zones below the builder's minimum of people, dropped as they closed.</summary>
    public int SmallZones { get; }

    internal Int128 SmallZonePeopleFixed { get; }

    /// <summary>People in the zones below the builder's minimum.</summary>
    public double SmallZonePeople => FixedPoint.ToDouble(SmallZonePeopleFixed);

    public IReadOnlyList<string> ExtraLayerNames { get; }

    internal CoveredCells Covered { get; }

    internal Int128 BelowCellMinimumFixed { get; }

    internal Int128 AllUncoveredFixed { get; }

    /// <summary>Uncovered people in cells that joined no zone.</summary>
    public double BelowCellMinimum => FixedPoint.ToDouble(BelowCellMinimumFixed);

    /// <summary>Uncovered people over the whole grid (every cell, in a zone or not).</summary>
    public double AllUncovered => FixedPoint.ToDouble(AllUncoveredFixed);

    /// <summary>The runs of zone <paramref name="zone"/>, row-major.</summary>
    public ReadOnlySpan<CellRun> RunsOf(int zone) => _runs.AsSpan(_runStart[zone], _runStart[zone + 1] - _runStart[zone]);

    /// <summary>The finest admin level's units (indexes in the level) covering part of the zone's cells, ascending.</summary>
    public ReadOnlySpan<int> UnitsOf(int zone) => _units.AsSpan(_unitStart[zone], _unitStart[zone + 1] - _unitStart[zone]);

    /// <summary>People of zone <paramref name="zone"/> in fixed point.</summary>
    internal Int128 PeopleFixed(int zone) => _sums[zone].People;

    public double People(int zone) => FixedPoint.ToDouble(_sums[zone].People);

    public double AreaKm2(int zone) => FixedPoint.ToDouble(_sums[zone].AreaKm2);

    public long Cells(int zone) => _sums[zone].Cells;

    /// <summary>First cell of the zone in row-major order.</summary>
    public (int Row, int Column) FirstCell(int zone) => (_sums[zone].FirstRow, _sums[zone].FirstColumn);

    /// <summary>People-weighted centre in grid coordinates (u = columns, v = rows from the top-left corner).</summary>
    public (double U, double V) Centroid(int zone)
    {
        ComponentSums s = _sums[zone];
        double p = FixedPoint.ToDouble(s.People);
        return p > 0 ? (FixedPoint.ToDouble(s.PeopleU) / p, FixedPoint.ToDouble(s.PeopleV) / p) : (s.FirstColumn + 0.5, s.FirstRow + 0.5);
    }

    /// <summary>Sum of extra layer <paramref name="layer"/> over the zone's cells.</summary>
    public double Extra(int zone, int layer) => FixedPoint.ToDouble(_sums[zone].Extras[layer]);
}

/// <summary>Cells with any coverage, as runs per row, for nearest-coverage searches.</summary>
internal sealed class CoveredCells
{
    private CoveredCells(int[] rowStart, int[] start, int[] end)
    {
        RowStart = rowStart;
        Start = start;
        End = end;
    }

    /// <summary>Index of each row's first run; Rows + 1 entries.</summary>
    public int[] RowStart { get; }

    public int[] Start { get; }

    public int[] End { get; }

    public bool IsEmpty => Start.Length == 0;

    public static CoveredCells From(IEnumerable<CellRun[]> bandsInOrder, int rows)
    {
        var rowStart = new int[rows + 1];
        var start = new List<int>();
        var end = new List<int>();
        foreach (CellRun[] band in bandsInOrder)
        {
            foreach (CellRun run in band)
            {
                rowStart[run.Row + 1]++;
                start.Add(run.Start);
                end.Add(run.End);
            }
        }

        for (int r = 0; r < rows; r++)
        {
            rowStart[r + 1] += rowStart[r];
        }

        return new CoveredCells(rowStart, [.. start], [.. end]);
    }
}
