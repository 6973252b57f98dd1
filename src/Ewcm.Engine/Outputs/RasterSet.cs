using Ewcm.Engine.Outputs.Cog;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// The dense outputs of a run: uncovered people per cell (Float32) and, per technology level, the fraction
/// of each cell covered (bytes). The overlay's workers write them band by band; <see cref="CompleteAsync"/>
/// assembles the files while the caller writes the tables.
/// </summary>
public sealed class RasterSet : IDisposable
{
    /// <summary>
    /// Scale of the coverage rasters: fractions stored as bytes 0–250, a quarter of the size and time of
    /// floats; the exact figures are in the tables, the rasters are for maps.
    /// </summary>
    public const double CoverageScale = 1.0 / 250;

    private readonly CogWriter[] _levels;

    private RasterSet(CogWriter uncovered, CogWriter[] levels)
    {
        Uncovered = uncovered;
        _levels = levels;
    }

    /// <summary>File names, people first, as summary.json lists them.</summary>
    public IReadOnlyList<string> FileNames => [.. All.Select(w => Path.GetFileName(w.Path))];

    private CogWriter Uncovered { get; }

    private IEnumerable<CogWriter> All => [Uncovered, .. _levels];

    /// <summary>Starts the rasters of <paramref name="model"/> in <paramref name="folder"/>.</summary>
    /// <exception cref="Native.Gdal.GdalException">GDAL cannot encode the CRS.</exception>
    /// <exception cref="Diagnostics.EwcmException">A file cannot be created.</exception>
    public static RasterSet Create(string folder, OverlayModel model, string crsWkt)
    {
        ArgumentNullException.ThrowIfNull(model);
        var grid = model.Grid;
        double[] gt = grid.ToGeoTransform();
        var writers = new List<CogWriter>();
        try
        {
            writers.Add(CogWriter.Create(Path.Combine(folder, "uncovered_population.tif"), grid.Columns, grid.Rows, gt, crsWkt, BandProcessor.OutputNoData));
            foreach (Technology t in model.TechnologyLevels)
            {
                var band = new CogBand(CogPixel.Byte, null, CoverageScale,
                    $"Fraction of the cell covered by at least {TechnologyNames.Label(t)} (value x 0.004)");
                writers.Add(CogWriter.Create(Path.Combine(folder, $"coverage_{TechnologyNames.Suffix(t)}.tif"), grid.Columns, grid.Rows, gt, crsWkt, band));
            }
        }
        catch
        {
            writers.ForEach(w => w.Dispose());
            throw;
        }

        return new RasterSet(writers[0], [.. writers.Skip(1)]);
    }

    /// <summary>Writes a band's rows: uncovered people, then each level's coverage bytes. Thread-safe.</summary>
    public void WriteBand(int row0, int rows, ReadOnlySpan<float> uncovered, IReadOnlyList<Memory<byte>> levelBytes)
    {
        ArgumentNullException.ThrowIfNull(levelBytes);
        int cells = rows * Uncovered.Width;
        Uncovered.WriteRows(row0, rows, uncovered[..cells]);
        for (int t = 0; t < _levels.Length; t++)
        {
            _levels[t].WriteRows(row0, rows, levelBytes[t].Span[..cells]);
        }
    }

    /// <summary>
    /// The rasters' own buffers for a band's rows, for the overlay to write into instead of into rows of its
    /// own that <see cref="WriteBand"/> would copy (about 0.4 s of memory copies on a 400-million-cell grid);
    /// null when the band straddles two tile rows. Thread-safe.
    /// </summary>
    public BandRows? Lease(int row0, int rows)
    {
        PyramidLevel<float>.RowLease? uncovered = Uncovered.LeaseFloatRows(row0, rows);
        if (uncovered is null)
        {
            return null; // every raster has the same tile rows
        }

        var levels = new PyramidLevel<byte>.RowLease[_levels.Length];
        for (int t = 0; t < levels.Length; t++)
        {
            levels[t] = _levels[t].LeaseByteRows(row0, rows)!;
        }

        return new BandRows(uncovered, levels);
    }

    /// <summary>A band's rows in the rasters' buffers (see <see cref="Lease"/>): fill every cell, then <see cref="Commit"/>.</summary>
    public sealed class BandRows
    {
        private readonly PyramidLevel<float>.RowLease _uncovered;
        private readonly PyramidLevel<byte>.RowLease[] _levels;

        internal BandRows(PyramidLevel<float>.RowLease uncovered, PyramidLevel<byte>.RowLease[] levels)
        {
            _uncovered = uncovered;
            _levels = levels;
            Levels = [.. levels.Select(l => l.Rows)];
        }

        /// <summary>Uncovered people per cell.</summary>
        public Memory<float> Uncovered => _uncovered.Rows;

        /// <summary>Per technology level, the stored coverage bytes.</summary>
        public Memory<byte>[] Levels { get; }

        /// <summary>Hands the rows over (the thread that completes a tile row compresses it).</summary>
        public void Commit()
        {
            _uncovered.Commit();
            foreach (PyramidLevel<byte>.RowLease level in _levels)
            {
                level.Commit();
            }
        }
    }

    /// <summary>
    /// Assembles the files on up to <paramref name="threads"/> threads of the pool (the people raster on one,
    /// the coverage rasters on another), so the tables can be written meanwhile. Wait for the task before
    /// using the files; <see cref="Dispose"/> waits for it too.
    /// </summary>
    public Task CompleteAsync(int threads) => Task.Run(() =>
        Parallel.ForEach(All, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, w => w.Complete()));

    /// <summary>Closes every raster; those not completed leave no file (waits for a completion in progress).</summary>
    public void Dispose()
    {
        foreach (CogWriter w in All)
        {
            w.Dispose();
        }
    }
}
