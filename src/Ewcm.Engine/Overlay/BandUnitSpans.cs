using System.Runtime.InteropServices;

namespace Ewcm.Engine.Overlay;

/// <summary>Columns [<see cref="Start"/>, <see cref="End"/>) of a row where admin unit <see cref="Unit"/> covers part of every cell.</summary>
public readonly record struct UnitSpan(int Start, int End, int Unit);

/// <summary>
/// The admin units of one level present in each row of a band, as column intervals sorted by start;
/// units sharing a cell each have their own interval. Filled by <see cref="BandProcessor"/> from the
/// exact admin fractions, so a unit is listed for a cell exactly when it covers part of the cell's area:
/// the blank zones name their admin units from these, in time linear in the runs, instead of testing
/// zone polygons against unit polygons.
/// </summary>
public sealed class BandUnitSpans
{
    private readonly List<UnitSpan> _spans = [];
    private readonly List<int> _rowStarts = [0];

    /// <summary>Rows completed so far.</summary>
    public int Rows => _rowStarts.Count - 1;

    /// <summary>The spans of band row <paramref name="bandRow"/>, sorted by start.</summary>
    public ReadOnlySpan<UnitSpan> Row(int bandRow) =>
        CollectionsMarshal.AsSpan(_spans)[_rowStarts[bandRow].._rowStarts[bandRow + 1]];

    /// <summary>Empties the collection for the next band.</summary>
    public void Clear()
    {
        _spans.Clear();
        _rowStarts.Clear();
        _rowStarts.Add(0);
    }

    /// <summary>Adds a span to the current row; spans of a row must come sorted by start.</summary>
    public void Add(int start, int end, int unit)
    {
        if (end <= start || start < 0 || unit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Bad unit span [{start}, {end}) of unit {unit}.");
        }

        _spans.Add(new UnitSpan(start, end, unit));
    }

    /// <summary>Closes the current row.</summary>
    public void EndRow() => _rowStarts.Add(_spans.Count);
}
