using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// Writes a single-band Float32 or Byte raster as a Cloud Optimized GeoTIFF (DEFLATE, tiled 512×512,
/// with averaged overviews). Rows may be written in any order and from several threads; the COG is
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
        // Uncompressed: writing is a copy into the page cache, the workers never wait on a codec,
        // and the file only lives until Complete compresses it once.
        new("COMPRESS", "NONE"),
        new("BIGTIFF", "IF_SAFER"),
        // Blocks never written read back as nodata without taking space.
        new("SPARSE_OK", "TRUE"),
    ];

    private static readonly KeyValuePair<string, string>[] CogOptions =
    [
        // DEFLATE for every reader (browsers' geotiff.js, QGIS, GDAL); level 1 halves the time of the
        // default level for files a few percent larger, and outputs are rewritten on every run.
        new("COMPRESS", "DEFLATE"),
        new("LEVEL", "1"),
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
    private float? _quantum;

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
    public static CogWriter Create(string path, int width, int height, double[] geoTransform, string crsWkt, float noData) =>
        Create(path, width, height, geoTransform, crsWkt, new CogBand(CogPixel.Real32, noData, null, null));

    /// <summary>Starts a raster with the pixel type, nodata, scale and description of <paramref name="band"/>.</summary>
    public static CogWriter Create(string path, int width, int height, double[] geoTransform, string crsWkt, CogBand band)
    {
        ArgumentNullException.ThrowIfNull(band);
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
            GdalDataType type = band.Pixel == CogPixel.Byte ? GdalDataType.Byte : GdalDataType.Float32;
            dataset = GdalDataset.CreateRaster("GTiff", temporaryPath, width, height, 1, type, TemporaryOptions);
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

            GdalBand gdalBand = dataset.Band(1);
            if (band.NoData is double nd)
            {
                gdalBand.SetNoData(nd);
            }

            if (band.Scale is double scale)
            {
                gdalBand.SetScaleOffset(scale, 0);
            }

            if (band.Description is not null)
            {
                gdalBand.SetDescription(band.Description);
            }

            return new CogWriter(path, width, height, temporaryPath, dataset)
            {
                _quantum = band.Pixel == CogPixel.Byte && band.Scale is double q ? (float)q : null,
            };
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
    /// <remarks>On a <see cref="CogPixel.Byte"/> raster with a scale, values are quantized: round(value / scale).</remarks>
    public void WriteRows(int row0, int rowCount, ReadOnlySpan<float> data)
    {
        if (_quantum is not float q)
        {
            WriteRowsOf(row0, rowCount, data);
            return;
        }

        int n = rowCount * Width;
        byte[] bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                bytes[i] = (byte)Math.Clamp(MathF.Round(data[i] / q), 0, 255);
            }

            WriteRowsOf(row0, rowCount, new ReadOnlySpan<byte>(bytes, 0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Writes full-width rows of bytes (for <see cref="CogPixel.Byte"/> rasters). Thread-safe.</summary>
    public void WriteRows(int row0, int rowCount, ReadOnlySpan<byte> data) => WriteRowsOf(row0, rowCount, data);

    private void WriteRowsOf<T>(int row0, int rowCount, ReadOnlySpan<T> data)
        where T : unmanaged
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

/// <summary>Pixel type of a COG output.</summary>
public enum CogPixel
{
    /// <summary>32-bit floating point (people per cell).</summary>
    Real32,

    /// <summary>Unsigned bytes, usually with a <see cref="CogBand.Scale"/> (e.g. fractions as 0–250).</summary>
    Byte,
}

/// <summary>How the single band of a COG is stored and described.</summary>
/// <param name="Pixel">Stored type.</param>
/// <param name="NoData">Nodata value, or null for none.</param>
/// <param name="Scale">Physical value = stored × Scale, when given.</param>
/// <param name="Description">Band description shown by GIS software.</param>
public sealed record CogBand(CogPixel Pixel, double? NoData, double? Scale, string? Description);
