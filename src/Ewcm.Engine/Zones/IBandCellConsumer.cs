using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Receives per-cell values of each band as the overlay produces them. Called from the overlay's worker
/// threads, once per band, bands in any order and concurrently: implementations keep per-band state
/// only and combine it in band order afterwards.
/// </summary>
public interface IBandCellConsumer
{
    /// <summary>Names of the extra per-cell layers expected in every call, in order (e.g. one per hazard).</summary>
    IReadOnlyList<string> ExtraLayerNames { get; }

    /// <summary>Takes the cells of band <paramref name="band"/>: rows <paramref name="row0"/> to row0 + rows − 1, row-major.</summary>
    /// <param name="band">Band index (bands are numbered from the top of the grid).</param>
    /// <param name="row0">Grid row of the band's first row.</param>
    /// <param name="rows">Rows in the band.</param>
    /// <param name="uncovered">People outside every coverage layer per cell (0 where the population is nodata).</param>
    /// <param name="coveredFraction">Per cell, the fraction covered by the lowest technology level (by anything).</param>
    /// <param name="extras">One span of rows × columns values per <see cref="ExtraLayerNames"/> entry (e.g. people exposed to a hazard and unreachable).</param>
    /// <param name="finestUnits">The finest admin level's units in each row of the band; null when the country has no admin level.</param>
    void AcceptBand(int band, int row0, int rows, ReadOnlySpan<double> uncovered, ReadOnlySpan<float> coveredFraction,
        IReadOnlyList<ReadOnlyMemory<float>> extras, BandUnitSpans? finestUnits);
}
