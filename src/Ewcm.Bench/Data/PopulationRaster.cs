using Ewcm.Engine.Inputs;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Bench.Data;

/// <summary>
/// Writes a population grid as WorldPop publishes theirs: a Float32 GeoTIFF in EPSG:4326 at 3 arc-seconds,
/// tiled and DEFLATE-compressed, with nodata -99999, through the engine's own GDAL layer.
/// </summary>
public static class PopulationRaster
{
    /// <summary>WorldPop's nodata value.</summary>
    public const float NoData = -99999f;

    /// <summary>
    /// Writes <paramref name="values"/> (row-major, NaN = nodata, written as <see cref="NoData"/>) to
    /// <paramref name="path"/> in <paramref name="tile"/> × <paramref name="tile"/> tiles.
    /// </summary>
    public static void Write(string path, int columns, int rows, float[] values, int tile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != columns * rows)
        {
            throw new ArgumentException($"{values.Length} values for a {columns} × {rows} grid.", nameof(values));
        }

        KeyValuePair<string, string>[] options =
        [
            new("TILED", "YES"),
            new("BLOCKXSIZE", tile.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("BLOCKYSIZE", tile.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("COMPRESS", "DEFLATE"),
        ];
        using GdalDataset dataset = GdalDataset.CreateRaster("GTiff", path, columns, rows, 1, GdalDataType.Float32, options);
        const double ThreeArcSeconds = 1.0 / 1200;
        dataset.SetGeoTransform([-13.5, ThreeArcSeconds, 0, 10.0, 0, -ThreeArcSeconds]);
        dataset.SetProjection(CrsInfo.FromUserInput("EPSG:4326"));
        GdalBand band = dataset.Band(1);
        band.SetNoData(NoData);
        float[] stored = [.. values.Select(v => float.IsNaN(v) ? NoData : v)];
        band.Write<float>(0, 0, columns, rows, stored);
        dataset.Close();
    }
}
