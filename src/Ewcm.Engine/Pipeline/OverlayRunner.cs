using Ewcm.Engine.Coverage;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Zones;

namespace Ewcm.Engine.Pipeline;

/// <summary>
/// Streams the population grid band by band through the overlay kernel on several threads, hands the dense
/// outputs to the rasters and reduces the band sums in band order (so results do not depend on the thread count).
/// </summary>
public static class OverlayRunner
{
    /// <summary>
    /// Runs the overlay; every band's rows go to <paramref name="rasters"/> when it is not null (the caller
    /// completes them), and every band's per-cell uncovered people and coverage go to
    /// <paramref name="cellConsumer"/> (the blank zones) when given.
    /// </summary>
    public static BandResult Run(OverlayModel model, PopulationGrid population, RunOptions options, RasterSet? rasters,
        IProgress<double>? progress = null, IBandCellConsumer? cellConsumer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(options);
        var grid = model.Grid;
        var edges = new EdgeBuckets(model.AllGeometries(), grid.Rows, options.BandHeight, options.Threads);
        int bands = edges.BandCount;
        var results = new BandResult[bands];
        int levelCount = model.TechnologyLevels.Count;
        int next = -1;
        int done = 0;
        int workers = Math.Min(options.Threads, bands);
        var threads = new Thread[workers];
        Exception? failure = null;
        for (int w = 0; w < workers; w++)
        {
            threads[w] = new Thread(() =>
            {
                try
                {
                    using PopulationGrid.Reader reader = population.OpenReader();
                    var processor = new BandProcessor(model, edges);
                    int cells = options.BandHeight * grid.Columns;
                    var pop = new float[cells];
                    // Rows of the worker's own for the rasters, only for bands across two of their tile rows
                    // (made when first needed: the others are written in place).
                    float[]? ownUncovered = null;
                    QuantizedLevels? ownLevels = null;
                    // The blank zones need the lowest level's exact fraction; the rasters take bytes, made
                    // straight from the coverage spans (no float rows to clear, fill and convert).
                    float[][]? fractions = cellConsumer is null ? null : [new float[cells]];
                    double[] exactUncovered = cellConsumer is null ? [] : new double[cells];
                    // Per hazard, people exposed and unreachable per cell: the zones sum them.
                    float[][]? hazardUncovered = cellConsumer is null || cellConsumer.ExtraLayerNames.Count == 0
                        ? null : [.. model.Hazards.Select(_ => new float[cells])];
                    BandUnitSpans? finestUnits = cellConsumer is null || model.Levels.Count == 0 ? null : new BandUnitSpans();
                    int b;
                    while (Volatile.Read(ref failure) is null && (b = Interlocked.Increment(ref next)) < bands)
                    {
                        int row0 = b * options.BandHeight;
                        int rows = Math.Min(options.BandHeight, grid.Rows - row0);
                        double validArea = reader.ReadBand(row0, rows, pop);
                        // The rasters' rows are written in place where the band lies within one of their tile rows.
                        RasterSet.BandRows? leased = rasters?.Lease(row0, rows);
                        Span<float> uncovered = [];
                        QuantizedLevels? levelBytes = null;
                        if (leased is not null)
                        {
                            uncovered = leased.Uncovered.Span;
                            levelBytes = new QuantizedLevels(leased.Levels, (float)RasterSet.CoverageScale);
                        }
                        else if (rasters is not null)
                        {
                            uncovered = ownUncovered ??= new float[cells];
                            levelBytes = ownLevels ??= new QuantizedLevels(
                                [.. Enumerable.Range(0, levelCount).Select(_ => (Memory<byte>)new byte[cells])], (float)RasterSet.CoverageScale);
                        }

                        results[b] = processor.Process(b, pop.AsSpan(0, rows * grid.Columns), uncovered, fractions, hazardUncovered, finestUnits, levelBytes);
                        results[b].ValidAreaKm2 = validArea;
                        if (cellConsumer is not null)
                        {
                            int n = rows * grid.Columns;
                            processor.UncoveredPeople(pop.AsSpan(0, n), exactUncovered);
                            ReadOnlyMemory<float>[] extras = hazardUncovered is null ? [] : [.. hazardUncovered.Select(h => (ReadOnlyMemory<float>)h.AsMemory(0, n))];
                            cellConsumer.AcceptBand(b, row0, rows, exactUncovered.AsSpan(0, n), fractions![0].AsSpan(0, n), extras, finestUnits);
                        }

                        if (leased is not null)
                        {
                            leased.Commit();
                        }
                        else
                        {
                            rasters?.WriteBand(row0, rows, uncovered, levelBytes!.Rows);
                        }

                        progress?.Report((double)Interlocked.Increment(ref done) / bands);
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            });
            threads[w].Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        var total = BandResult.For(model);
        for (int b = 0; b < bands; b++)
        {
            total.Add(results[b]);
        }

        return total;
    }
}
