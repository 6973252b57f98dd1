using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// admin_units GeoJSON: the admin units of one level (admin_id, name) as the run used them (repaired,
/// in the population grid's CRS: plain RFC 7946 lon/lat when that is EPSG:4326), so the viewer can draw
/// the choropleth and the base map from the run folder alone.
/// </summary>
public static class AdminUnitsGeoJson
{
    /// <summary>The file name of a level's units, beside its admin_stats CSV.</summary>
    public static string FileName(string statsFileName) =>
        Path.ChangeExtension(statsFileName.Replace("admin_stats", "admin_units", StringComparison.Ordinal), ".geojson");

    /// <summary>Writes the units of <paramref name="level"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, AdminLevel level, GridSpec grid, string crsWkt)
    {
        ArgumentNullException.ThrowIfNull(level);
        var features = level.Units
            .Select(u => (GridGeometry.FromGridSpace(u.GridGeometry, grid), (IReadOnlyList<object?>)[u.Id, u.Name]))
            .ToList();
        GpkgWriter.Write(path, [new VectorLayerToWrite(Path.GetFileNameWithoutExtension(path), crsWkt,
            [new FieldSpec("admin_id", FieldKind.String), new FieldSpec("name", FieldKind.String)], features)]);
    }
}
