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

    /// <summary>Hazard layers (the optional hazards: key); none by default.</summary>
    public IReadOnlyList<HazardInput> Hazards { get; init; } = [];

    /// <summary>Blank-zone settings (`blank_zones:`); defaults when the key is absent.</summary>
    public BlankZoneSettings BlankZones { get; init; } = new();

    /// <summary>Named places (`places:`) used to name the nearest place of each blank zone; optional.</summary>
    public PlacesInput? Places { get; init; }
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

/// <summary>
/// One hazard layer: a raster whose cells pass a <see cref="Threshold"/> (value ≥ it, or ≤ it when
/// <see cref="Below"/>), or polygons (a layer, optionally filtered by an OGR SQL <see cref="Where"/>).
/// </summary>
/// <param name="Name">Slug used in column names: pop_exposed_&lt;name&gt;.</param>
/// <param name="Label">Human-readable name (the name when not given).</param>
/// <param name="Path">The raster or vector file.</param>
/// <param name="Layer">Vector layer (polygons only).</param>
/// <param name="Where">OGR SQL attribute filter (polygons only).</param>
/// <param name="Band">Raster band, 1-based.</param>
/// <param name="Threshold">Raster threshold; null for polygons.</param>
/// <param name="Below">Raster: hazard where value ≤ threshold instead of ≥.</param>
public sealed record HazardInput(string Name, string Label, string Path, string? Layer, string? Where, int Band, double? Threshold, bool Below)
{
    public bool IsRaster => Threshold is not null;
}

/// <summary>A point layer of named places (towns, villages): <see cref="NameField"/> names each point.</summary>
public sealed record PlacesInput(string Path, string? Layer, string NameField);

/// <summary>
/// How blank zones are formed (`blank_zones:` in country.yaml). A cell joins a zone when its uncovered
/// people exceed <see cref="MinCellPeople"/> and its uncovered people per km² reach <see cref="MinCellDensity"/>;
/// zones of fewer than <see cref="MinPeople"/> people are reported together as "scattered".
/// </summary>
/// <param name="Enabled">False to skip the blank-zone outputs.</param>
/// <param name="Connectivity">8 (cells touching at a corner join) or 4 (only cells sharing an edge).</param>
/// <param name="MinPeople">Smallest zone listed on its own; smaller zones count as scattered.</param>
/// <param name="MinCellPeople">A cell needs more uncovered people than this (default 0: anyone).</param>
/// <param name="MinCellDensity">A cell needs at least this many uncovered people per km² (default 0).</param>
/// <param name="Simplify">
/// Outlines drawn on blocks of this many × this many cells (default 1: the cells' own edges). Every cell
/// of a zone stays inside its outline, so simplifying drops no one; the attributes come from the cells.
/// </param>
public sealed record BlankZoneSettings(bool Enabled = true, int Connectivity = 8, double MinPeople = 100,
    double MinCellPeople = 0, double MinCellDensity = 0, int Simplify = 1);
