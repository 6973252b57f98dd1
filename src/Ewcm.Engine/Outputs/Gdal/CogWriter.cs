using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// Writes a single-band Float32 raster as a Cloud Optimized GeoTIFF (DEFLATE, tiled 512×512, with
/// averaged overviews). Rows may be written in any order and from several threads; the COG is
/// produced by <see cref="Complete"/>.
/// </summary>
/// <remarks>
/// A COG needs its overviews and tile index at the front of the file, so it cannot be streamed: rows go
/// to a temporary tiled GeoTIFF next to the target, which <see cref="Complete"/> converts with GDAL's
/// COG driver and then deletes. The final file appears under its name only once it is complete.
/// Disposing without <see cref="Complete"/> deletes the temporary files and leaves no output.
/// </remarks>
public sealed class CogWriter : IDisposable
{
    private static readonly KeyValuePair<string, string>[] TemporaryOptions =
    [
        new("TILED", "YES"),
        new("BLOCKXSIZE", "512"),
        new("BLOCKYSIZE", "512"),
        // Fast, lossless; the file only lives until Complete.
        new("COMPRESS", "ZSTD"),
        new("ZSTD_LEVEL", "1"),
        new("BIGTIFF", "IF_SAFER"),
        // Blocks never written read back as nodata without taking space.
        new("SPARSE_OK", "TRUE"),
    ];

    private static readonly KeyValuePair<string, string>[] CogOptions =
    [
        new("COMPRESS", "DEFLATE"),
        new("PREDICTOR", "YES"),
        new("OVERVIEWS", "AUTO"),
        new("RESAMPLING", "AVERAGE"),
        new("BLOCKSIZE", "512"),
        new("NUM_THREADS", "2"),
        new("BIGTIFF", "IF_SAFER"),
    ];

    private readonly Lock _gate = new();
    private readonly string _temporaryPath;
    private readonly string _partialPath;
    private GdalDataset? _temporary;
    private GdalBand? _band;
    private bool _completed;

    private CogWriter(string path, int width, int height, string temporaryPath, GdalDataset temporary)
    {
        Path = path;
        Width = width;
        Height = height;
        _temporaryPath = temporaryPath;
        _partialPath = path + ".partial";
        _temporary = temporary;
        _band = temporary.Band(1);
    }

    /// <summary>The COG's final path.</summary>
    public string Path { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Starts a raster; its folder is created if needed.</summary>
    /// <param name="path">Where the COG will be written (replaced if it exists).</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="geoTransform">GDAL's six geotransform coefficients.</param>
    /// <param name="crsWkt">CRS as WKT; empty for none.</param>
    /// <param name="noData">Nodata value; cells never written read as this.</param>
    /// <exception cref="GdalException">GDAL cannot create the temporary file.</exception>
    /// <exception cref="EwcmException">The output folder cannot be created.</exception>
    public static CogWriter Create(string path, int width, int height, double[] geoTransform, string crsWkt, float noData)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(geoTransform);
        ArgumentNullException.ThrowIfNull(crsWkt);

        string fullPath = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(fullPath)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EwcmException($"{path}: cannot create the output folder {folder}: {e.Message}", e);
        }

        // Hidden, unique name in the same folder: the final rename stays on one file system.
        string temporaryPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp.tif");
        GdalDataset dataset;
        try
        {
            dataset = GdalDataset.CreateRaster("GTiff", temporaryPath, width, height, 1, GdalDataType.Float32, TemporaryOptions);
        }
        catch (GdalException e)
        {
            throw new GdalException(path, $"creating the temporary raster {temporaryPath}", e.GdalMessage, e.ErrorNumber);
        }

        try
        {
            dataset.SetGeoTransform(geoTransform);
            if (crsWkt.Length > 0)
            {
                dataset.SetProjection(crsWkt);
            }

            dataset.Band(1).SetNoData(noData);
            return new CogWriter(path, width, height, temporaryPath, dataset);
        }
        catch
        {
            dataset.Dispose();
            DeleteQuietly(temporaryPath);
            throw;
        }
    }

    /// <summary>Writes full-width rows [<paramref name="row0"/>, <paramref name="row0"/> + <paramref name="rowCount"/>). Thread-safe.</summary>
    /// <param name="row0">First row (0 = top).</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="data">At least <paramref name="rowCount"/> × <see cref="Width"/> values, row-major.</param>
    /// <exception cref="GdalException">GDAL could not write (e.g. disk full).</exception>
    public void WriteRows(int row0, int rowCount, ReadOnlySpan<float> data)
    {
        if (row0 < 0 || rowCount <= 0 || row0 + rowCount > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(row0), $"Rows {row0}..{row0 + rowCount - 1} are outside the {Height} rows of {Path}.");
        }

        if (data.Length < (long)rowCount * Width)
        {
            throw new ArgumentException($"{rowCount} rows need {(long)rowCount * Width} values; got {data.Length}.", nameof(data));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_band is null, this);
            try
            {
                _band.Write(0, row0, Width, rowCount, data);
            }
            catch (GdalException e)
            {
                throw new GdalException(Path, $"writing rows {row0}-{row0 + rowCount - 1} (temporary file {_temporaryPath})", e.GdalMessage, e.ErrorNumber);
            }
        }
    }

    /// <summary>Writes the Cloud Optimized GeoTIFF at <see cref="Path"/> and deletes the temporary file. Call once, after all rows.</summary>
    /// <exception cref="GdalException">GDAL could not finish the temporary file or write the COG.</exception>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            GdalDataset temporary = _temporary ?? throw new ObjectDisposedException(nameof(CogWriter));
            _band = null;
            _temporary = null;
            temporary.Close();
            using (GdalDataset source = GdalDataset.Open(_temporaryPath, GdalOpenFlags.Raster))
            using (GdalDataset cog = source.CreateCopy("COG", _partialPath, CogOptions))
            {
                cog.Close();
            }

            // Only a complete COG ever carries the final name.
            File.Move(_partialPath, Path, overwrite: true);
            _completed = true;
            DeleteTemporaries();
        }
    }

    /// <summary>Closes the writer; without <see cref="Complete"/>, deletes the temporary files and writes nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _band = null;
            _temporary?.Dispose();
            _temporary = null;
            DeleteTemporaries();
        }
    }

    /// <summary>Reads a metadata item of a finished raster, e.g. ("LAYOUT", "IMAGE_STRUCTURE") = "COG".</summary>
    internal static string? ReadMetadataItem(string path, string name, string domain)
    {
        using GdalDataset dataset = GdalDataset.Open(path, GdalOpenFlags.Raster);
        return dataset.MetadataItem(name, domain);
    }

    private void DeleteTemporaries()
    {
        DeleteQuietly(_temporaryPath);
        DeleteQuietly(_temporaryPath + ".aux.xml");
        if (!_completed)
        {
            DeleteQuietly(_partialPath);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file must not hide the real outcome.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
