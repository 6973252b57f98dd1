using System.Runtime.CompilerServices;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Inputs;

/// <summary>
/// A single-band raster read through GDAL (GeoTIFF/COG, and anything else GDAL opens): its grid,
/// CRS and nodata, and band 1 as float or double rows.
/// </summary>
/// <remarks>
/// Not thread-safe: a GDAL dataset must not be used from two threads at once, so each thread opens
/// its own <see cref="RasterSource"/> on the same file (opening is cheap). Dispose it to close the file.
/// </remarks>
public sealed class RasterSource : IDisposable
{
    private readonly GdalDataset _dataset;
    private readonly GdalBand _band;
    private float[]? _block;

    private RasterSource(string path, GdalDataset dataset, int band)
    {
        Path = path;
        _dataset = dataset;
        _band = dataset.Band(band);
        Width = dataset.Width;
        Height = dataset.Height;
        BandCount = dataset.BandCount;
        double[]? transform = dataset.GeoTransform;
        HasGeoTransform = transform is not null;
        GeoTransform = transform ?? [0, 1, 0, 0, 0, 1];
        using SpatialReference? srs = dataset.CloneSpatialReference();
        CrsWkt = srs?.ToWkt() ?? "";
        NoData = _band.NoData;
        (BlockWidth, BlockHeight) = _band.BlockSize;
        DataType = _band.DataTypeName;
    }

    /// <summary>The path the raster was opened with.</summary>
    public string Path { get; }

    /// <summary>Number of columns.</summary>
    public int Width { get; }

    /// <summary>Number of rows.</summary>
    public int Height { get; }

    /// <summary>
    /// GDAL's six geotransform coefficients: x = gt[0] + col·gt[1] + row·gt[2], y = gt[3] + col·gt[4] + row·gt[5].
    /// GDAL's default (0, 1, 0, 0, 0, 1) when the file has none (see <see cref="HasGeoTransform"/>).
    /// </summary>
    public double[] GeoTransform { get; }

    /// <summary>False when the file has no georeferencing and <see cref="GeoTransform"/> is GDAL's pixel-space default.</summary>
    public bool HasGeoTransform { get; }

    /// <summary>The CRS as WKT (WKT1 where possible), or an empty string when the raster has none.</summary>
    public string CrsWkt { get; }

    /// <summary>Band 1's nodata value, if it declares one.</summary>
    public double? NoData { get; }

    /// <summary>Width of band 1's natural block (tile or strip); reading whole blocks is fastest.</summary>
    public int BlockWidth { get; }

    /// <summary>Height of band 1's natural block (tile or strip).</summary>
    public int BlockHeight { get; }

    /// <summary>GDAL's name of band 1's stored type, e.g. "Float32", "Int16", "Byte".</summary>
    public string DataType { get; }

    /// <summary>Number of bands; Ewcm reads band 1 only.</summary>
    public int BandCount { get; }

    /// <summary>Opens a raster read-only.</summary>
    /// <exception cref="InputException">The file does not exist, or GDAL cannot open it (message names the file and GDAL's reason).</exception>
    /// <exception cref="GdalNotFoundException">GDAL is not installed.</exception>
    public static RasterSource Open(string path) => Open(path, 1);

    /// <summary>Opens a raster read-only, to read band <paramref name="band"/> (1-based) instead of band 1.</summary>
    /// <exception cref="InputException">The file does not exist, GDAL cannot open it, or it has no such band.</exception>
    public static RasterSource Open(string path, int band)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        GdalInput.RequireFile(path, "raster");
        GdalDataset dataset;
        try
        {
            dataset = GdalDataset.Open(path, GdalOpenFlags.Raster);
        }
        catch (GdalException e)
        {
            throw GdalInput.Unreadable(path, "raster", e);
        }

        try
        {
            if (dataset.BandCount < 1)
            {
                throw InputException.For(path, null, "the raster has no bands", "Check that this is the intended raster file");
            }

            if (band < 1 || band > dataset.BandCount)
            {
                throw InputException.For(path, null, $"the raster has {dataset.BandCount} band(s), so band {band} does not exist",
                    $"Set band to a number from 1 to {dataset.BandCount} in country.yaml");
            }

            return new RasterSource(path, dataset, band);
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }

    /// <summary>Reads full-width rows [<paramref name="row0"/>, <paramref name="row0"/> + <paramref name="rowCount"/>) of band 1 as Float32.</summary>
    /// <param name="row0">First row (0 = top).</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="destination">At least <paramref name="rowCount"/> × <see cref="Width"/> values, row-major.</param>
    /// <exception cref="InputException">GDAL could not read the rows (truncated or corrupt file).</exception>
    public void ReadRows(int row0, int rowCount, Span<float> destination)
    {
        if (CanReadByBlocks(row0, rowCount) && destination.Length >= (long)rowCount * Width)
        {
            ReadRowsByBlocks(row0, rowCount, destination);
        }
        else
        {
            Read(0, row0, Width, rowCount, destination);
        }
    }

    /// <summary>
    /// Whole rows of blocks of a Float32 raster are decoded block by block straight into the caller's
    /// buffer: no block cache (each block is read once anyway) and no lock shared between threads,
    /// so threads with their own <see cref="RasterSource"/> decode in parallel.
    /// </summary>
    private bool CanReadByBlocks(int row0, int rowCount) =>
        DataType == "Float32" && BlockHeight > 1 && row0 % BlockHeight == 0
        && (rowCount % BlockHeight == 0 || row0 + rowCount == Height) && row0 + rowCount <= Height;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadRowsByBlocks(int row0, int rowCount, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        _block ??= new float[BlockWidth * BlockHeight];
        int blocksAcross = (Width + BlockWidth - 1) / BlockWidth;
        for (int r = row0; r < row0 + rowCount; r += BlockHeight)
        {
            int yBlock = r / BlockHeight;
            int rows = Math.Min(BlockHeight, Height - r);
            for (int xBlock = 0; xBlock < blocksAcross; xBlock++)
            {
                try
                {
                    _band.ReadBlock<float>(xBlock, yBlock, _block);
                }
                catch (GdalException e)
                {
                    throw new InputException(
                        $"{Path}: GDAL could not read rows {r}-{r + rows - 1} (block {xBlock}, {yBlock}): {e.GdalMessage}. "
                        + "The file may be truncated or corrupt; download or export it again.",
                        e);
                }

                int col0 = xBlock * BlockWidth;
                int cols = Math.Min(BlockWidth, Width - col0);
                for (int i = 0; i < rows; i++)
                {
                    _block.AsSpan(i * BlockWidth, cols).CopyTo(destination.Slice(((r - row0 + i) * Width) + col0, cols));
                }
            }
        }
    }

    /// <summary>Reads full-width rows of band 1 as Float64 (exact for every GDAL pixel type).</summary>
    /// <inheritdoc cref="ReadRows(int, int, Span{float})" path="/param"/>
    /// <exception cref="InputException">GDAL could not read the rows (truncated or corrupt file).</exception>
    public void ReadRows(int row0, int rowCount, Span<double> destination) => Read(0, row0, Width, rowCount, destination);

    /// <summary>Reads a window of band 1 as Float32, row-major into <paramref name="destination"/> (at least width × height values).</summary>
    /// <exception cref="InputException">GDAL could not read the window (truncated or corrupt file).</exception>
    public void ReadWindow(int col0, int row0, int width, int height, Span<float> destination) => Read(col0, row0, width, height, destination);

    /// <summary>Closes the file.</summary>
    public void Dispose() => _dataset.Dispose();

    private void Read<T>(int col0, int row0, int width, int height, Span<T> destination)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        if (col0 < 0 || row0 < 0 || width <= 0 || height <= 0 || col0 + width > Width || row0 + height > Height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(row0),
                $"Window columns {col0}..{col0 + width - 1}, rows {row0}..{row0 + height - 1} is outside the {Width}×{Height} raster {Path}.");
        }

        if (destination.Length < (long)width * height)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; the window needs {(long)width * height}.", nameof(destination));
        }

        try
        {
            _band.Read(col0, row0, width, height, destination);
        }
        catch (GdalException e)
        {
            throw new InputException(
                $"{Path}: GDAL could not read rows {row0}-{row0 + height - 1} (columns {col0}-{col0 + width - 1}): {e.GdalMessage}. "
                + "The file may be truncated or corrupt; download or export it again.",
                e);
        }
    }
}
