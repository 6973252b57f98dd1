using Ewcm.Engine.Coverage;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Gdal;
using Ewcm.Engine.Outputs.Cog;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// Writes a single-band Float32 or Byte raster as a Cloud Optimized GeoTIFF (DEFLATE, tiled 512×512,
/// with averaged overviews down to one tile, as GDAL's COG driver with OVERVIEWS=AUTO makes them). Rows
/// may be written in any order and from several threads; the file is assembled by <see cref="Complete()"/>.
/// </summary>
/// <remarks>
/// Streaming: each tile row is compressed, and averaged into the next overview level, by the thread that
/// completes it, so only tile rows in progress are held in memory. Full-resolution tiles go, in row-major
/// order, straight into the file that becomes the COG; overview tiles go to a temporary file next to it.
/// <see cref="Complete()"/> opens a gap in front of the full resolution (Linux's FALLOC_FL_INSERT_RANGE; a
/// copy where the file system cannot) and writes the directories and the overviews (smallest first) into
/// it, so the bytes do not depend on the order rows arrived in nor on the file system. The
/// georeferencing tags are GDAL's own (see <see cref="GeoTiffTags"/>). The final file appears under its
/// name only once complete; disposing without <see cref="Complete()"/> deletes everything.
/// </remarks>
public sealed class CogWriter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _partialPath;
    private readonly string _copyPath;
    private readonly TileStore _store;
    private readonly GeoTiffTags _geoTags;
    private readonly PyramidLevel<float>? _floats;
    private readonly PyramidLevel<byte>? _bytes;
    private readonly IReadOnlyList<CogFileLayout.Level> _levels;
    private readonly float _quantum;
    private volatile bool _closed;
    private bool _completed;

    private CogWriter(string path, int width, int height, CogBand band, GeoTiffTags geoTags, TileStore store)
    {
        Path = path;
        Width = width;
        Height = height;
        _partialPath = store.Main.Path;
        _copyPath = _partialPath + ".copy";
        _geoTags = geoTags;
        _store = store;
        List<(int Width, int Height)> sizes = PyramidLevel<byte>.Sizes(width, height);
        if (band.Pixel == CogPixel.Byte)
        {
            byte? noData = band.NoData is double nd && nd is >= 0 and <= 255 && nd == Math.Floor(nd) ? (byte)nd : null;
            var samples = new ByteSamples(noData);
            PyramidLevel<byte>? next = null;
            for (int l = sizes.Count - 1; l >= 0; l--)
            {
                next = new PyramidLevel<byte>(l, sizes[l].Width, sizes[l].Height, samples, store, next);
            }

            _bytes = next;
            _quantum = band.Scale is double q ? (float)q : 1f;
            BitsPerSample = samples.BitsPerSample;
            SampleFormat = samples.SampleFormat;
        }
        else
        {
            var samples = new FloatSamples(band.NoData is double nd ? (float)nd : null);
            PyramidLevel<float>? next = null;
            for (int l = sizes.Count - 1; l >= 0; l--)
            {
                next = new PyramidLevel<float>(l, sizes[l].Width, sizes[l].Height, samples, store, next);
            }

            _floats = next;
            BitsPerSample = samples.BitsPerSample;
            SampleFormat = samples.SampleFormat;
        }

        _levels = [.. sizes.Select(s => new CogFileLayout.Level(s.Width, s.Height,
            (s.Width + PyramidLevel<byte>.TileSize - 1) / PyramidLevel<byte>.TileSize, (s.Height + PyramidLevel<byte>.TileSize - 1) / PyramidLevel<byte>.TileSize))];
    }

    /// <summary>The COG's final path.</summary>
    public string Path { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Writes a BigTIFF even when classic TIFF would do, so tests can check that layout on small rasters.</summary>
    internal bool ForceBigTiff { get; set; }

    /// <summary>Assembles the file by copying, as on file systems that cannot move blocks, so tests can compare both ways.</summary>
    internal bool ForceCopy { get; set; }

    private int BitsPerSample { get; }

    private int SampleFormat { get; }

    /// <summary>Starts a raster; its folder is created if needed.</summary>
    /// <param name="path">Where the COG will be written (replaced if it exists).</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="geoTransform">GDAL's six geotransform coefficients.</param>
    /// <param name="crsWkt">CRS as WKT; empty for none.</param>
    /// <param name="noData">Nodata value; cells never written read as this.</param>
    /// <exception cref="GdalException">GDAL cannot encode the CRS or georeferencing.</exception>
    /// <exception cref="EwcmException">The output folder or the temporary file cannot be created.</exception>
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

        GeoTiffTags geoTags = GeoTiffTags.Encode(folder, fullPath, geoTransform, crsWkt, band);

        // Hidden, unique name in the same folder as the target.
        string storePath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tiles.tmp");
        List<(int Width, int Height)> sizes = PyramidLevel<byte>.Sizes(width, height);
        var store = new TileStore(storePath, fullPath + ".partial", [.. sizes.Select(s =>
            ((s.Width + PyramidLevel<byte>.TileSize - 1) / PyramidLevel<byte>.TileSize) * ((s.Height + PyramidLevel<byte>.TileSize - 1) / PyramidLevel<byte>.TileSize))]);
        return new CogWriter(path, width, height, band, geoTags, store);
    }

    /// <summary>Writes full-width rows [<paramref name="row0"/>, <paramref name="row0"/> + <paramref name="rowCount"/>). Thread-safe.</summary>
    /// <param name="row0">First row (0 = top).</param>
    /// <param name="rowCount">Number of rows.</param>
    /// <param name="data">At least <paramref name="rowCount"/> × <see cref="Width"/> values, row-major.</param>
    /// <exception cref="EwcmException">The temporary tile file could not be written (e.g. disk full).</exception>
    /// <exception cref="InvalidOperationException">Rows of a tile row that was already complete (each row is written once).</exception>
    /// <remarks>On a <see cref="CogPixel.Byte"/> raster values are quantized: round(value / scale), clamped to 0–255.</remarks>
    public void WriteRows(int row0, int rowCount, ReadOnlySpan<float> data)
    {
        int n = CheckRows(row0, rowCount, data.Length);
        if (_floats is not null)
        {
            _floats.Write(row0, rowCount, data[..n]);
            return;
        }

        float q = _quantum;
        _bytes!.Write(row0, rowCount, data[..n], (source, target) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                target[i] = ByteQuantizer.Quantize(source[i], q);
            }
        });
    }

    /// <summary>Writes full-width rows of bytes (stored as they are on a <see cref="CogPixel.Byte"/> raster). Thread-safe.</summary>
    public void WriteRows(int row0, int rowCount, ReadOnlySpan<byte> data)
    {
        int n = CheckRows(row0, rowCount, data.Length);
        if (_bytes is not null)
        {
            _bytes.Write(row0, rowCount, data[..n]);
            return;
        }

        _floats!.Write(row0, rowCount, data[..n], static (source, target) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                target[i] = source[i];
            }
        });
    }

    /// <summary>
    /// Full-width rows [<paramref name="row0"/>, <paramref name="row0"/> + <paramref name="rowCount"/>) of a
    /// <see cref="CogPixel.Real32"/> raster to fill in place, then commit; null when they span two tile rows
    /// (write them with <see cref="WriteRows(int, int, ReadOnlySpan{float})"/> then). Thread-safe.
    /// </summary>
    internal PyramidLevel<float>.RowLease? LeaseFloatRows(int row0, int rowCount)
    {
        CheckRows(row0, rowCount, (long)rowCount * Width);
        return (_floats ?? throw new InvalidOperationException($"{Path} stores bytes.")).Lease(row0, rowCount);
    }

    /// <summary>As <see cref="LeaseFloatRows"/>, for a <see cref="CogPixel.Byte"/> raster (stored values, not quantized here).</summary>
    internal PyramidLevel<byte>.RowLease? LeaseByteRows(int row0, int rowCount)
    {
        CheckRows(row0, rowCount, (long)rowCount * Width);
        return (_bytes ?? throw new InvalidOperationException($"{Path} stores floats.")).Lease(row0, rowCount);
    }

    /// <summary>
    /// Completes the tile rows never fully written (missing cells read as nodata), writes the Cloud Optimized
    /// GeoTIFF at <see cref="Path"/> and deletes the temporary files. Call once, after all rows.
    /// </summary>
    /// <exception cref="EwcmException">The file could not be written (e.g. disk full); nothing is left under <see cref="Path"/>'s name.</exception>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_closed, this);
            _bytes?.FinishRemaining();
            _floats?.FinishRemaining();
            try
            {
                string finished = CogFileLayout.Write(_copyPath, _levels, BitsPerSample, SampleFormat, _geoTags, _store, ForceBigTiff, ForceCopy);
                _store.Dispose();
                if (_geoTags.AuxXml is not null)
                {
                    File.WriteAllText(Path + ".aux.xml", _geoTags.AuxXml);
                }

                // Only a complete COG ever carries the final name.
                File.Move(finished, Path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new EwcmException($"{Path}: cannot write the raster: {e.Message}", e);
            }

            _completed = true;
            _closed = true;
            DeleteTemporaries();
        }
    }

    /// <summary>Closes the writer; without <see cref="Complete()"/>, deletes the temporary files and writes nothing.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            DeleteTemporaries();
        }
    }

    /// <summary>Reads a metadata item of a finished raster, e.g. ("LAYOUT", "IMAGE_STRUCTURE") = "COG".</summary>
    internal static string? ReadMetadataItem(string path, string name, string domain)
    {
        using GdalDataset dataset = GdalDataset.Open(path, GdalOpenFlags.Raster);
        return dataset.MetadataItem(name, domain);
    }

    private int CheckRows(int row0, int rowCount, long length)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (row0 < 0 || rowCount <= 0 || row0 + rowCount > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(row0), $"Rows {row0}..{row0 + rowCount - 1} are outside the {Height} rows of {Path}.");
        }

        if (length < (long)rowCount * Width)
        {
            #pragma warning disable CA2208 // the caller's parameter is "data"
            throw new ArgumentException($"{rowCount} rows need {(long)rowCount * Width} values; got {length}.", "data");
#pragma warning restore CA2208
        }

        return rowCount * Width;
    }

    private void DeleteTemporaries()
    {
        _store.Dispose();
        TemporaryFiles.DeleteQuietly(_store.Path);
        // After a copy the first file remains; after a failure, both may.
        TemporaryFiles.DeleteQuietly(_partialPath);
        TemporaryFiles.DeleteQuietly(_copyPath);
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
