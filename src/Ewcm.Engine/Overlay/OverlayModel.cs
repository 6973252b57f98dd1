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
/// A coverage mask: a union of coverage polygons in grid space. Either "at least T" over all operators
/// (<see cref="Operator"/> is null) or one operator's own "at least T".
/// </summary>
public sealed record CoverageMask(Technology Level, string? Operator, Geometry GridGeometry)
{
    public string Key => Operator is null ? TechnologyNames.Label(Level) : $"{Operator}/{TechnologyNames.Label(Level)}";
}

/// <summary>
/// Everything the overlay needs, prepared: the grid, admin levels and coverage masks in grid space.
/// Masks are ordered: first the "at least T" masks over all operators in ascending T (the first is
/// "covered by anything"), then for each operator (sorted by name) its own levels in ascending T.
/// </summary>
public sealed class OverlayModel
{
    public OverlayModel(GridSpec grid, IReadOnlyList<AdminLevel> levels, IReadOnlyList<Technology> technologyLevels,
        IReadOnlyList<string> operators, IReadOnlyList<CoverageMask> masks)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(technologyLevels);
        ArgumentNullException.ThrowIfNull(operators);
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count != technologyLevels.Count * (1 + operators.Count))
        {
            throw new ArgumentException("One mask per level, and per operator and level, is expected.", nameof(masks));
        }

        Grid = grid;
        Levels = levels;
        TechnologyLevels = technologyLevels;
        Operators = operators;
        Masks = masks;
        var offsets = new int[levels.Count + 1];
        for (int i = 0; i < levels.Count; i++)
        {
            offsets[i + 1] = offsets[i] + levels[i].Units.Count;
        }

        UnitOffsets = offsets;
        AdminPieces = new Lazy<PieceIndex>[offsets[^1]];
        for (int l = 0; l < levels.Count; l++)
        {
            for (int u = 0; u < levels[l].Units.Count; u++)
            {
                Geometry g = levels[l].Units[u].GridGeometry;
                AdminPieces[offsets[l] + u] = new Lazy<PieceIndex>(() => new PieceIndex(g), LazyThreadSafetyMode.ExecutionAndPublication);
            }
        }

        MaskPieces = masks.Select(m => new Lazy<PieceIndex>(() => new PieceIndex(m.GridGeometry), LazyThreadSafetyMode.ExecutionAndPublication)).ToArray();
    }

    public GridSpec Grid { get; }

    public IReadOnlyList<AdminLevel> Levels { get; }

    public IReadOnlyList<Technology> TechnologyLevels { get; }

    public IReadOnlyList<string> Operators { get; }

    public IReadOnlyList<CoverageMask> Masks { get; }

    /// <summary>Global index of unit u of level l is UnitOffsets[l] + u (admin units of all levels, then masks).</summary>
    internal int[] UnitOffsets { get; }

    public int UnitCount => UnitOffsets[^1];

    /// <summary>Geometry index of mask m in the edge buckets.</summary>
    internal int MaskGeometryIndex(int mask) => UnitCount + mask;

    /// <summary>Built on first use: only cells crossed by an admin edge and a coverage edge need them.</summary>
    internal Lazy<PieceIndex>[] AdminPieces { get; }

    internal Lazy<PieceIndex>[] MaskPieces { get; }

    /// <summary>Index of operator o's own mask for level index t.</summary>
    public int OperatorMask(int o, int t) => TechnologyLevels.Count * (1 + o) + t;

    internal IEnumerable<Geometry> AllGeometries()
    {
        foreach (AdminLevel level in Levels)
        {
            foreach (AdminUnit unit in level.Units)
            {
                yield return unit.GridGeometry;
            }
        }

        foreach (CoverageMask m in Masks)
        {
            yield return m.GridGeometry;
        }
    }
}
