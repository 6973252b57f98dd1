using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Inputs;

/// <summary>One vector layer read by <see cref="VectorSource.ReadLayer"/>.</summary>
/// <param name="Path">The file it was read from.</param>
/// <param name="LayerName">The layer's name in that file.</param>
/// <param name="SourceCrsWkt">The layer's own CRS (before any reprojection) as WKT.</param>
/// <param name="Features">Features with a non-empty geometry, in file order.</param>
/// <param name="SkippedEmpty">Features left out because their geometry was missing or empty.</param>
public sealed record VectorLayerData(string Path, string LayerName, string SourceCrsWkt, IReadOnlyList<VectorFeature> Features, int SkippedEmpty);

/// <summary>A feature: its 2D geometry (in the requested CRS) and the requested attributes.</summary>
/// <param name="Geometry">Never null nor empty; Z and M are dropped.</param>
/// <param name="Attributes">Keyed by the field names exactly as requested; null for unset or null fields.</param>
public sealed record VectorFeature(Geometry Geometry, IReadOnlyDictionary<string, string?> Attributes);
