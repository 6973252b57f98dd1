using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Outputs;

/// <summary>One layer for <see cref="GpkgWriter.Write"/>.</summary>
/// <param name="Name">Layer name (GeoPackage); single-layer formats name the layer after the file.</param>
/// <param name="CrsWkt">CRS of the geometries as WKT; empty for none.</param>
/// <param name="Fields">Attribute columns, in order.</param>
/// <param name="Features">
/// Geometry and one value per field (null, or a value convertible to the field's kind). Enumerated once,
/// as the features are written, when <see cref="GeometryType"/> is given: a generator can then stream
/// features that do not all fit in memory.
/// </param>
public sealed record VectorLayerToWrite(
    string Name,
    string CrsWkt,
    IReadOnlyList<FieldSpec> Fields,
    IEnumerable<(Geometry Geometry, IReadOnlyList<object?> Values)> Features)
{
    /// <summary>The layer's geometry type; null to take it from the features (which are then all read first).</summary>
    public OgcGeometryType? GeometryType { get; init; }
}

/// <summary>An attribute column of a <see cref="VectorLayerToWrite"/>.</summary>
/// <param name="Name">Column name (Shapefile truncates it to 10 characters).</param>
/// <param name="Kind">Stored type.</param>
public sealed record FieldSpec(string Name, FieldKind Kind);

/// <summary>Stored type of a <see cref="FieldSpec"/>.</summary>
public enum FieldKind
{
    /// <summary>64-bit integer.</summary>
    Integer64,

    /// <summary>Double-precision real.</summary>
    Real,

    /// <summary>UTF-8 text.</summary>
#pragma warning disable CA1720 // "String" is the natural name of the text kind and part of the agreed API.
    String,
#pragma warning restore CA1720
}
