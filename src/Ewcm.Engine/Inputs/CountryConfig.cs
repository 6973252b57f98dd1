using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Inputs;

/// <summary>How the population raster's values are to be read.</summary>
public enum PopulationKind
{
    /// <summary>People per cell (WorldPop "ppp").</summary>
    Counts,

    /// <summary>People per km²; multiplied by each cell's true area.</summary>
    Density,
}

/// <summary>A run described by a country.yaml. Paths are absolute (resolved against the file's folder).</summary>
public sealed record CountryConfig(
    string SourcePath,
    string Iso3,
    string Name,
    PopulationInput Population,
    IReadOnlyList<AdminInput> Admin,
    IReadOnlyList<CoverageInput> Coverage)
{
    /// <summary>True when admin was given as a single mapping (outputs keep the plain admin_stats.csv name).</summary>
    public bool SingleAdminLevel { get; init; }

    /// <summary>Data credits to repeat in outputs (licences that require attribution).</summary>
    public IReadOnlyList<string> Credits { get; init; } = [];
}

public sealed record PopulationInput(string Path, PopulationKind Kind, double? NoData);

public sealed record AdminInput(string Level, string Path, string? Layer, string IdField, string NameField);

/// <summary>
/// One coverage layer: polygons of one technology (operator fixed or read from a field), or a
/// signal-strength raster with a threshold (<see cref="MinSignal"/>, e.g. dBm).
/// </summary>
public sealed record CoverageInput(
    string Path,
    string? Layer,
    Technology Technology,
    string? Operator,
    string? OperatorField,
    double? MinSignal)
{
    public bool IsRaster => MinSignal is not null;
}
