using Ewcm.Engine.Grids;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Overlay;

/// <summary>A mobile technology generation; the order is the nesting order of the "at least" levels.</summary>
public enum Technology
{
    G2 = 2,
    G3 = 3,
    G4 = 4,
    G5 = 5,
}

/// <summary>Names of technologies as users write them.</summary>
public static class TechnologyNames
{
    public static string Label(Technology t) => $"{(int)t}G";

    /// <summary>Lower-case suffix for column and file names: "2g".</summary>
    public static string Suffix(Technology t) => $"{(int)t}g";

    public static bool TryParse(string text, out Technology technology)
    {
        technology = default;
        string s = text.Trim().ToUpperInvariant();
        switch (s)
        {
            case "2G": technology = Technology.G2; return true;
            case "3G": technology = Technology.G3; return true;
            case "4G": case "LTE": technology = Technology.G4; return true;
            case "5G": case "NR": technology = Technology.G5; return true;
            default: return false;
        }
    }
}

/// <summary>One admin unit, its geometry already in grid space.</summary>
public sealed record AdminUnit(string Id, string Name, Geometry GridGeometry);

/// <summary>One admin level (province, district, ...): units that should partition the country.</summary>
public sealed record AdminLevel(string Name, string SourceDescription, IReadOnlyList<AdminUnit> Units);

/// <summary>
/// One coverage geometry of one operator and technology, as read (a layer's polygons, or one feature of
/// it): the unit from which the masks are built, without ever forming their union as a polygon.
/// </summary>
public sealed record CoverageAtom(string Operator, Technology Technology, Geometry GridGeometry);

/// <summary>
/// A coverage mask: the union of the coverage atoms <see cref="Atoms"/> (indices into
/// <see cref="OverlayModel.Atoms"/>). Either "at least T" over all operators (<see cref="Operator"/> is
/// null) or one operator's own "at least T".
/// </summary>
public sealed record CoverageMask(Technology Level, string? Operator, IReadOnlyList<int> Atoms)
{
    /// <summary>"3G" for a level over all operators, "OpA/3G" for an operator's own level.</summary>
    public string Key => Operator is null ? TechnologyNames.Label(Level) : $"{Operator}/{TechnologyNames.Label(Level)}";
}

/// <summary>
/// A hazard (flood, cyclone, ...): the area exposed to it, as polygons in grid space (a raster hazard is
/// polygonized at its threshold first). Its parts may overlap; the overlay unites them cell by cell.
/// </summary>
/// <param name="Name">Slug used in column names (pop_exposed_&lt;name&gt;).</param>
/// <param name="Label">Human-readable name.</param>
/// <param name="Source">Where it came from (file, layer, threshold), for summary.json.</param>
/// <param name="Parts">The hazard's polygons in grid space.</param>
public sealed record Hazard(string Name, string Label, string Source, IReadOnlyList<Geometry> Parts);

/// <summary>
/// Everything the overlay needs, prepared: the grid, admin levels and coverage atoms in grid space, and
/// the coverage masks defined on the atoms. Masks are ordered: first the "at least T" masks over all
/// operators in ascending T (the first is "covered by anything"), then for each operator (sorted by
/// name) its own levels in ascending T.
/// </summary>
/// <remarks>
/// Each mask is computed per band as a union of few inputs (<see cref="MaskInputs"/>): an operator's
/// "at least T" is its atoms of technology T and its own "at least T+1"; the level over all operators is
/// the union of the operators' own levels. <see cref="MaskOrder"/> computes every input before its use.
/// </remarks>
public sealed class OverlayModel
{
    /// <summary>Prepares the model; every atom's technology must be one of <paramref name="technologyLevels"/>.</summary>
    public OverlayModel(GridSpec grid, IReadOnlyList<AdminLevel> levels, IReadOnlyList<Technology> technologyLevels,
        IReadOnlyList<string> operators, IReadOnlyList<CoverageAtom> atoms)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(technologyLevels);
        ArgumentNullException.ThrowIfNull(operators);
        ArgumentNullException.ThrowIfNull(atoms);
        if (atoms.Any(a => !technologyLevels.Contains(a.Technology) || !operators.Contains(a.Operator)))
        {
            throw new ArgumentException("Every atom's operator and technology must be among the model's.", nameof(atoms));
        }

        Grid = grid;
        Levels = levels;
        TechnologyLevels = technologyLevels;
        Operators = operators;
        Atoms = atoms;
        var offsets = new int[levels.Count + 1];
        for (int i = 0; i < levels.Count; i++)
        {
            offsets[i + 1] = offsets[i] + levels[i].Units.Count;
        }

        UnitOffsets = offsets;
        (Masks, MaskInputs, MaskOrder) = DefineMasks();
    }

    /// <summary>The analysis grid (the population raster's cells).</summary>
    public GridSpec Grid { get; }

    /// <summary>Admin levels, each a set of units in grid space.</summary>
    public IReadOnlyList<AdminLevel> Levels { get; }

    /// <summary>The technologies of the "at least T" levels, ascending.</summary>
    public IReadOnlyList<Technology> TechnologyLevels { get; }

    /// <summary>Operators, sorted by name.</summary>
    public IReadOnlyList<string> Operators { get; }

    /// <summary>Coverage geometries of every operator and technology, in input order.</summary>
    public IReadOnlyList<CoverageAtom> Atoms { get; }

    /// <summary>The masks, in the order described on the class.</summary>
    public IReadOnlyList<CoverageMask> Masks { get; }

    /// <summary>Global index of unit u of level l is UnitOffsets[l] + u (admin units of all levels, then atoms).</summary>
    internal int[] UnitOffsets { get; }

    /// <summary>Number of admin units over all levels.</summary>
    public int UnitCount => UnitOffsets[^1];

    /// <summary>Per mask: the atoms and the masks whose union it is.</summary>
    internal IReadOnlyList<MaskInput> MaskInputs { get; }

    /// <summary>Mask indices in an order where every mask comes after its inputs.</summary>
    internal IReadOnlyList<int> MaskOrder { get; }

    /// <summary>Geometry index of atom a in the edge buckets.</summary>
    internal int AtomGeometryIndex(int atom) => UnitCount + atom;

    /// <summary>
    /// Hazards whose exposed people are counted per unit and nationally (none by default). Their parts
    /// are rasterized after the atoms: part i of hazard h is geometry <see cref="HazardGeometryIndex"/>.
    /// </summary>
    public IReadOnlyList<Hazard> Hazards
    {
        get => _hazards;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _hazards = value;
            _hazardOffsets = new int[value.Count + 1];
            for (int h = 0; h < value.Count; h++)
            {
                _hazardOffsets[h + 1] = _hazardOffsets[h] + value[h].Parts.Count;
            }
        }
    }

    private readonly IReadOnlyList<Hazard> _hazards = [];
    private readonly int[] _hazardOffsets = [0];

    /// <summary>Geometry index of part <paramref name="part"/> of hazard <paramref name="hazard"/> in the edge buckets.</summary>
    internal int HazardGeometryIndex(int hazard, int part) => UnitCount + Atoms.Count + _hazardOffsets[hazard] + part;

    /// <summary>Index of operator o's own mask for level index t.</summary>
    public int OperatorMask(int o, int t) => TechnologyLevels.Count * (1 + o) + t;

    /// <summary>Every geometry rasterized by the overlay: admin units of every level, then atoms, then hazard parts.</summary>
    internal IEnumerable<Geometry> AllGeometries()
    {
        foreach (AdminLevel level in Levels)
        {
            foreach (AdminUnit unit in level.Units)
            {
                yield return unit.GridGeometry;
            }
        }

        foreach (CoverageAtom atom in Atoms)
        {
            yield return atom.GridGeometry;
        }

        foreach (Hazard hazard in Hazards)
        {
            foreach (Geometry part in hazard.Parts)
            {
                yield return part;
            }
        }
    }

    private (CoverageMask[] Masks, MaskInput[] Inputs, int[] Order) DefineMasks()
    {
        int levelCount = TechnologyLevels.Count;
        var masks = new CoverageMask[levelCount * (1 + Operators.Count)];
        var inputs = new MaskInput[masks.Length];
        var order = new List<int>(masks.Length);
        for (int o = 0; o < Operators.Count; o++)
        {
            for (int t = levelCount - 1; t >= 0; t--)
            {
                int m = OperatorMask(o, t);
                int[] own = AtomsWhere(a => a.Operator == Operators[o] && a.Technology == TechnologyLevels[t]);
                int[] above = t + 1 < levelCount ? [OperatorMask(o, t + 1)] : [];
                masks[m] = new CoverageMask(TechnologyLevels[t], Operators[o],
                    AtomsWhere(a => a.Operator == Operators[o] && a.Technology >= TechnologyLevels[t]));
                inputs[m] = new MaskInput(own, above);
                order.Add(m);
            }
        }

        for (int t = 0; t < levelCount; t++)
        {
            masks[t] = new CoverageMask(TechnologyLevels[t], null, AtomsWhere(a => a.Technology >= TechnologyLevels[t]));
            inputs[t] = new MaskInput([], [.. Enumerable.Range(0, Operators.Count).Select(o => OperatorMask(o, t))]);
            order.Add(t);
        }

        return (masks, inputs, [.. order]);
    }

    private int[] AtomsWhere(Func<CoverageAtom, bool> predicate) =>
        [.. Enumerable.Range(0, Atoms.Count).Where(i => predicate(Atoms[i]))];
}

/// <summary>A mask is the union of these atoms and of these (previously computed) masks.</summary>
internal sealed record MaskInput(int[] Atoms, int[] Masks);
