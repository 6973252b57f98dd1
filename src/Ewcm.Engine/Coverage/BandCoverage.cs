namespace Ewcm.Engine.Coverage;

/// <summary>
/// Exact coverage of one geometry over a band of grid rows, as sorted, disjoint spans per row:
/// cells [Start, End) of a row are covered by the fraction Value (1 for interior runs; edge cells
/// carry their exact fraction and are usually spans of one cell). Uncovered cells have no span.
/// </summary>
public sealed class BandCoverage
{
    internal BandCoverage(int row0, int rows, int[] rowOffsets, int[] start, int[] end, double[] value)
    {
        Row0 = row0;
        Rows = rows;
        RowOffsets = rowOffsets;
        Start = start;
        End = end;
        Value = value;
    }

    /// <summary>An empty coverage (nothing covered) for a band.</summary>
    public static BandCoverage Empty(int row0, int rows) => new(row0, rows, new int[rows + 1], [], [], []);

    public int Row0 { get; }

    public int Rows { get; }

    /// <summary>Spans of band row i are indices RowOffsets[i] .. RowOffsets[i+1]-1.</summary>
    public int[] RowOffsets { get; }

    public int[] Start { get; }

    public int[] End { get; }

    public double[] Value { get; }

    public int SpanCount => RowOffsets[Rows];

    /// <summary>Writes the coverage of band row <paramref name="bandRow"/> densely into <paramref name="row"/> (which must be zeroed).</summary>
    public void FillRow(int bandRow, Span<float> row)
    {
        for (int k = RowOffsets[bandRow]; k < RowOffsets[bandRow + 1]; k++)
        {
            row[Start[k]..End[k]].Fill((float)Value[k]);
        }
    }
}
