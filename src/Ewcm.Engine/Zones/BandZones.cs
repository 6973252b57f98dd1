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

    /// <summary>The runs of band row <paramref name="bandRow"/> (0-based within the band).</summary>
    public ReadOnlySpan<CellRun> RunsOfRow(int bandRow) => Runs.AsSpan(RowStarts[bandRow], RowStarts[bandRow + 1] - RowStarts[bandRow]);
}
