namespace Ewcm.Engine.Overlay;

/// <summary>
/// Sums of one band of rows, or of several bands added together.
/// </summary>
/// <remarks>
/// People are summed in fixed point (multiples of 2^-64 people in 128-bit integers): every addend is
/// rounded once, on its own, and integer additions do not depend on their order. Totals are therefore
/// identical, to the last bit, whatever the thread count, the band height and the order in which bands
/// are added; and they are closer to the exact sum of the addends than a double sum would be.
/// </remarks>
public sealed class BandResult
{
    private readonly Int128[][] _units;
    private readonly Int128[] _outsideAdmin;
    private readonly Int128[] _nationalCovered;
    private readonly Int128[] _nationalHazard;
    private Int128 _validPopulation;

    /// <summary>
    /// Creates empty sums for levels of the given unit counts, <paramref name="maskCount"/> masks and
    /// <paramref name="hazardCount"/> hazards.
    /// </summary>
    public BandResult(int levelCount, int[] unitsPerLevel, int maskCount, int hazardCount = 0)
    {
        ArgumentNullException.ThrowIfNull(unitsPerLevel);
        MaskCount = maskCount;
        HazardCount = hazardCount;
        Stride = 1 + maskCount + (2 * hazardCount);
        _units = new Int128[levelCount][];
        Units = new double[levelCount][];
        for (int l = 0; l < levelCount; l++)
        {
            _units[l] = new Int128[unitsPerLevel[l] * Stride];
            Units[l] = new double[unitsPerLevel[l] * Stride];
        }

        _outsideAdmin = new Int128[levelCount];
        OutsideAdmin = new double[levelCount];
        _nationalCovered = new Int128[maskCount];
        NationalCovered = new double[maskCount];
        _nationalHazard = new Int128[2 * hazardCount];
        NationalHazard = new double[2 * hazardCount];
    }

    /// <summary>Empty sums shaped for <paramref name="model"/>: its levels, masks and hazards.</summary>
    public static BandResult For(OverlayModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new BandResult(model.Levels.Count, [.. model.Levels.Select(l => l.Units.Count)], model.Masks.Count, model.Hazards.Count);
    }

    /// <summary>
    /// Per level, per unit: [u * Stride] = people in the unit, [u * Stride + 1 + m] = people in unit ∩ mask m,
    /// then per hazard h: [u * Stride + <see cref="HazardIndex"/>(h)] = people exposed to h and, one further,
    /// people exposed to h and outside every coverage layer.
    /// </summary>
    public double[][] Units { get; }

    /// <summary>Values per unit in <see cref="Units"/>: the unit's people, its people in each mask, then two per hazard.</summary>
    public int Stride { get; }

    /// <summary>Number of masks.</summary>
    public int MaskCount { get; }

    /// <summary>Number of hazards.</summary>
    public int HazardCount { get; }

    /// <summary>
    /// Per hazard h: [2h] = people exposed anywhere in the grid, [2h + 1] = people exposed and outside
    /// every coverage layer.
    /// </summary>
    public double[] NationalHazard { get; }

    /// <summary>Offset, within a unit's values, of hazard <paramref name="hazard"/>'s "exposed" figure (the "exposed and uncovered" one follows).</summary>
    public int HazardIndex(int hazard) => 1 + MaskCount + (2 * hazard);

    /// <summary>Per level: people in cells (or parts of cells) that no admin unit of the level covers.</summary>
    public double[] OutsideAdmin { get; }

    /// <summary>Per mask: people covered anywhere in the grid.</summary>
    public double[] NationalCovered { get; }

    /// <summary>People in the valid (not nodata) cells.</summary>
    public double ValidPopulation => ToDouble(_validPopulation);

    /// <summary>Number of valid cells.</summary>
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
        for (int l = 0; l < _units.Length; l++)
        {
            Int128[] a = _units[l], b = other._units[l];
            for (int i = 0; i < a.Length; i++)
            {
                a[i] += b[i];
            }

            _outsideAdmin[l] += other._outsideAdmin[l];
        }

        for (int m = 0; m < _nationalCovered.Length; m++)
        {
            _nationalCovered[m] += other._nationalCovered[m];
        }

        for (int h = 0; h < _nationalHazard.Length; h++)
        {
            _nationalHazard[h] += other._nationalHazard[h];
        }

        _validPopulation += other._validPopulation;
        ValidCells += other.ValidCells;
        ValidAreaKm2 += other.ValidAreaKm2;
        ExactCells += other.ExactCells;
        OverlapCells += other.OverlapCells;
        Publish();
    }

    /// <summary>Adds people to entry <paramref name="index"/> of level <paramref name="level"/> (see <see cref="Units"/>).</summary>
    internal void AddToUnit(int level, int index, double people) => _units[level][index] += ToFixed(people);

    internal void AddOutsideAdmin(int level, double people) => _outsideAdmin[level] += ToFixed(people);

    internal void AddNationalCovered(int mask, double people) => _nationalCovered[mask] += ToFixed(people);

    /// <summary>Adds national people exposed to hazard <paramref name="hazard"/>, and exposed and uncovered.</summary>
    internal void AddNationalHazard(int hazard, double exposed, double exposedUncovered)
    {
        _nationalHazard[2 * hazard] += ToFixed(exposed);
        _nationalHazard[(2 * hazard) + 1] += ToFixed(exposedUncovered);
    }

    internal void AddValidPopulation(double people) => _validPopulation += ToFixed(people);

    /// <summary>Refreshes the double views (<see cref="Units"/>, ...) from the fixed-point sums.</summary>
    internal void Publish()
    {
        for (int l = 0; l < _units.Length; l++)
        {
            for (int i = 0; i < _units[l].Length; i++)
            {
                Units[l][i] = ToDouble(_units[l][i]);
            }

            OutsideAdmin[l] = ToDouble(_outsideAdmin[l]);
        }

        for (int m = 0; m < _nationalCovered.Length; m++)
        {
            NationalCovered[m] = ToDouble(_nationalCovered[m]);
        }

        for (int h = 0; h < _nationalHazard.Length; h++)
        {
            NationalHazard[h] = ToDouble(_nationalHazard[h]);
        }
    }

    private static Int128 ToFixed(double people) => FixedPoint.From(people);

    private static double ToDouble(Int128 value) => FixedPoint.ToDouble(value);
}
