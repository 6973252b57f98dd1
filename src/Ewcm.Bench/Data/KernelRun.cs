using Ewcm.Engine.Overlay;

namespace Ewcm.Bench.Data;

/// <summary>The overlay kernel over a whole population held in memory, on one thread, as a run's reduction adds the bands.</summary>
internal static class KernelRun
{
    /// <summary>
    /// Every band of <paramref name="population"/> (row-major, <paramref name="columns"/> wide, bands of
    /// <paramref name="bandHeight"/> rows) through <paramref name="processor"/>, no raster outputs; the band
    /// sums added in band order.
    /// </summary>
    internal static BandResult InBandOrder(BandProcessor processor, OverlayModel model, float[] population, int columns, int bandHeight)
    {
        var total = BandResult.For(model);
        int rows = population.Length / columns;
        for (int b = 0; b * bandHeight < rows; b++)
        {
            total.Add(processor.Process(b, BandRows(population, columns, bandHeight, b), Span<float>.Empty, null));
        }

        return total;
    }

    /// <summary>Rows of band <paramref name="band"/> of a row-major grid.</summary>
    internal static ReadOnlySpan<float> BandRows(float[] population, int columns, int bandHeight, int band)
    {
        int row0 = band * bandHeight;
        int rows = Math.Min(bandHeight, (population.Length / columns) - row0);
        return population.AsSpan(row0 * columns, rows * columns);
    }
}
