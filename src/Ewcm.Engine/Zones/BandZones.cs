namespace Ewcm.Engine.Zones;

/// <summary>
/// One band labelled on its own: the runs of zone cells with their local component, the sums per local
/// component, the runs of covered cells (for distances) and the people in cells too sparse to join a zone.
/// </summary>
internal sealed class BandZones
{
    public required int Row0 { get; init; }

    public required int Rows { get; init; }

    /// <summary>Zone-cell runs in row-major order, labelled with local components 0..n−1 numbered by first run.</summary>
    public required CellRun[] Runs { get; init; }

    /// <summary>Index in <see cref="Runs"/> of each band row's first run; one more entry than rows.</summary>
    public required int[] RowStarts { get; init; }

    public required ComponentSums[] Components { get; init; }

    /// <summary>(local component, finest-level unit) pairs, packed as component × 2³² + unit, sorted and distinct.</summary>
    public required long[] UnitPairs { get; init; }

    /// <summary>Runs of cells with any coverage of the lowest level, row-major (label unused).</summary>
    public required CellRun[] Covered { get; init; }

    /// <summary>Uncovered people in cells that do not join a zone (below the per-cell minimum, or negative).</summary>
    public required Int128 BelowCellMinimum { get; init; }

    /// <summary>Uncovered people in every cell of the band: zone cells and the rest.</summary>
    public required Int128 AllUncovered { get; init; }

    /// <summary>Per local component: true when it has cells in the band's first or last row (left for the merge).</summary>
    public bool[] OnEdge { get; set; } = [];

    /// <summary>Complete components of at least the minimum of people, settled on the worker thread.</summary>
    public List<SettledZone> Settled { get; set; } = [];

    /// <summary>Complete components below the minimum of people: their count.</summary>
    public int SmallZones { get; set; }

    /// <summary>Complete components below the minimum of people: their people.</summary>
    public Int128 SmallZonePeople { get; set; }

    /// <summary>The runs of band row <paramref name="bandRow"/> (0-based within the band).</summary>
    public ReadOnlySpan<CellRun> RunsOfRow(int bandRow) => Runs.AsSpan(RowStarts[bandRow], RowStarts[bandRow + 1] - RowStarts[bandRow]);
}

/// <summary>A complete listed zone: its sums, its runs (row-major) and its finest-level units (ascending).</summary>
internal sealed record SettledZone(ComponentSums Sums, List<CellRun> Runs, List<int> Units);
