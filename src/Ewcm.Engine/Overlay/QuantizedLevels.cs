namespace Ewcm.Engine.Overlay;

/// <summary>
/// Per technology level, a band's covered fractions as bytes of a scaled raster (value = byte ×
/// <see cref="Quantum"/>, see <see cref="Coverage.ByteQuantizer"/>): what the coverage rasters store.
/// </summary>
/// <param name="Rows">One block per level, at least as long as the band (the band's rows, row-major).</param>
/// <param name="Quantum">The raster's scale (the fraction one byte step stands for).</param>
public sealed record QuantizedLevels(Memory<byte>[] Rows, float Quantum);
