namespace Ewcm.Engine.Overlay;

/// <summary>
/// Sums of one band of rows. Bands are reduced in band order, so totals do not depend on which
/// thread computed which band.
/// </summary>
public sealed class BandResult
{
    public BandResult(int levelCount, int[] unitsPerLevel, int maskCount)
    {
        ArgumentNullException.ThrowIfNull(unitsPerLevel);
        Stride = 1 + maskCount;
        Units = new double[levelCount][];
        OutsideAdmin = new double[levelCount];
        for (int l = 0; l < levelCount; l++)
        {
            Units[l] = new double[unitsPerLevel[l] * Stride];
        }

        NationalCovered = new double[maskCount];
    }

    /// <summary>Per level, per unit: [u * Stride] = people in the unit, [u * Stride + 1 + m] = people in unit ∩ mask m.</summary>
    public double[][] Units { get; }

    public int Stride { get; }

    /// <summary>Per level: people in cells (or parts of cells) that no admin unit of the level covers.</summary>
    public double[] OutsideAdmin { get; }

    /// <summary>Per mask: people covered anywhere in the grid.</summary>
    public double[] NationalCovered { get; }

    public double ValidPopulation { get; set; }

    public long ValidCells { get; set; }

    /// <summary>True area of the valid cells, km² (for the counts-or-density plausibility check).</summary>
    public double ValidAreaKm2 { get; set; }

    /// <summary>Cells whose admin and coverage fractions both were partial and were clipped exactly.</summary>
    public long ExactCells { get; set; }

    /// <summary>Cells shared by overlapping admin units of one level.</summary>
    public long OverlapCells { get; set; }

    /// <summary>Adds <paramref name="other"/> into this result.</summary>
    public void Add(BandResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int l = 0; l < Units.Length; l++)
        {
            double[] a = Units[l], b = other.Units[l];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] += b[i];
            }

            OutsideAdmin[l] += other.OutsideAdmin[l];
        }

        for (int m = 0; m < NationalCovered.Length; m++)
        {
            NationalCovered[m] += other.NationalCovered[m];
        }

        ValidPopulation += other.ValidPopulation;
        ValidCells += other.ValidCells;
        ValidAreaKm2 += other.ValidAreaKm2;
        ExactCells += other.ExactCells;
        OverlapCells += other.OverlapCells;
    }
}
