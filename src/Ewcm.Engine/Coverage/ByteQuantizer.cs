namespace Ewcm.Engine.Coverage;

/// <summary>
/// How a value becomes a byte of a scaled Byte raster: round(value / quantum), clamped to 0–255. One
/// definition, so rows quantized while they are built and rows converted by the raster writer hold the
/// same bytes.
/// </summary>
public static class ByteQuantizer
{
    /// <summary>The byte for <paramref name="value"/> on a raster whose unit is <paramref name="quantum"/>.</summary>
    public static byte Quantize(float value, float quantum) => (byte)Math.Clamp(MathF.Round(value / quantum), 0, 255);
}
