namespace Ewcm.Engine.Native.Gdal;

/// <summary>
/// An open GDAL dataset (raster or vector). Bands and layers obtained from it are borrowed and must
/// not be used after the dataset is disposed. Not thread-safe, like GDAL datasets themselves.
/// </summary>
internal sealed class GdalDataset : IDisposable
{
    private readonly DatasetHandle _handle;

    private GdalDataset(DatasetHandle handle, string path)
    {
        _handle = handle;
        Path = path;
    }

    /// <summary>The file (or GDAL connection string) this dataset was opened or created with.</summary>
    internal string Path { get; }

    /// <summary>True once the dataset has been closed or disposed.</summary>
    internal bool IsClosed => _handle.IsClosed;

    /// <summary>Opens read-only with GDALOpenEx; <paramref name="kind"/> is <see cref="GdalOpenFlags.Raster"/> or <see cref="GdalOpenFlags.Vector"/>.</summary>
    internal static GdalDataset Open(string path, GdalOpenFlags kind, IEnumerable<KeyValuePair<string, string>>? openOptions = null)
    {
        GdalLibrary.EnsureInitialized();
        GdalError.Reset();
        // VerboseError: without it GDAL fails silently on files no driver recognises.
        DatasetHandle handle = GdalNative.GDALOpenEx(
            path, kind | GdalOpenFlags.ReadOnly | GdalOpenFlags.VerboseError, null, GdalOptions.From(openOptions), null);
        return new GdalDataset(GdalError.CheckHandle(handle, path, "opening"), path);
    }

    /// <summary>Creates a raster dataset with <paramref name="driverName"/> (e.g. "GTiff", "MEM").</summary>
    internal static GdalDataset CreateRaster(
        string driverName,
        string path,
        int width,
        int height,
        int bandCount,
        GdalDataType dataType,
        IEnumerable<KeyValuePair<string, string>>? options = null)
    {
        GdalLibrary.EnsureInitialized();
        IntPtr driver = Driver(driverName, path);
        GdalError.Reset();
        DatasetHandle handle = GdalNative.GDALCreate(driver, path, width, height, bandCount, dataType, GdalOptions.From(options));
        return new GdalDataset(GdalError.CheckHandle(handle, path, $"creating a {driverName} raster"), path);
    }

    /// <summary>Creates an empty vector dataset with <paramref name="driverName"/> (e.g. "GPKG", "Memory").</summary>
    internal static GdalDataset CreateVector(string driverName, string path, IEnumerable<KeyValuePair<string, string>>? options = null)
    {
        GdalLibrary.EnsureInitialized();
        IntPtr driver = Driver(driverName, path);
        GdalError.Reset();
        DatasetHandle handle = GdalNative.GDALCreate(driver, path, 0, 0, 0, GdalDataType.Unknown, GdalOptions.From(options));
        return new GdalDataset(GdalError.CheckHandle(handle, path, $"creating a {driverName} dataset"), path);
    }

    /// <summary>Writes a copy of this dataset to <paramref name="path"/> with <paramref name="driverName"/> (GDALCreateCopy).</summary>
    internal GdalDataset CreateCopy(string driverName, string path, IEnumerable<KeyValuePair<string, string>>? options = null)
    {
        IntPtr driver = Driver(driverName, path);
        GdalError.Reset();
        DatasetHandle handle = GdalNative.GDALCreateCopy(driver, path, _handle, strict: false, GdalOptions.From(options), IntPtr.Zero, IntPtr.Zero);
        var copy = new GdalDataset(GdalError.CheckHandle(handle, path, $"writing a {driverName} copy of {Path}"), path);
        if (GdalError.HasFailure)
        {
            copy.Dispose();
            throw GdalError.Failure(path, $"writing a {driverName} copy of {Path}");
        }

        return copy;
    }

    /// <summary>Deletes a dataset and its side-car files with the driver's own logic (e.g. .shp/.shx/.dbf/.prj).</summary>
    internal static void Delete(string driverName, string path)
    {
        GdalLibrary.EnsureInitialized();
        IntPtr driver = Driver(driverName, path);
        GdalError.Reset();
        GdalError.Check(GdalNative.GDALDeleteDataset(driver, path), path, "deleting");
    }

    internal int Width => GdalNative.GDALGetRasterXSize(_handle);

    internal int Height => GdalNative.GDALGetRasterYSize(_handle);

    internal int BandCount => GdalNative.GDALGetRasterCount(_handle);

    /// <summary>The six geotransform coefficients, or null when the raster has none.</summary>
    internal unsafe double[]? GeoTransform
    {
        get
        {
            var transform = new double[6];
            GdalError.Reset();
            fixed (double* t = transform)
            {
                // No geotransform is a plain CE_Failure without a message: not an error here.
                return GdalNative.GDALGetGeoTransform(_handle, t) == CplErr.None ? transform : null;
            }
        }
    }

    internal unsafe void SetGeoTransform(double[] transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        if (transform.Length != 6)
        {
            throw new ArgumentException("A geotransform has 6 coefficients.", nameof(transform));
        }

        GdalError.Reset();
        fixed (double* t = transform)
        {
            GdalError.Check(GdalNative.GDALSetGeoTransform(_handle, t), Path, "setting the geotransform");
        }
    }

    /// <summary>Own copy of the raster's CRS, or null when it has none.</summary>
    internal SpatialReference? CloneSpatialReference() => SpatialReference.CloneOf(GdalNative.GDALGetSpatialRef(_handle), Path);

    internal void SetProjection(string wkt)
    {
        GdalError.Reset();
        GdalError.Check(GdalNative.GDALSetProjection(_handle, wkt), Path, "setting the coordinate reference system");
    }

    /// <summary>Band <paramref name="number"/> (1-based).</summary>
    internal GdalBand Band(int number)
    {
        GdalError.Reset();
        IntPtr band = GdalError.CheckPointer(GdalNative.GDALGetRasterBand(_handle, number), Path, $"getting band {number}");
        return new GdalBand(this, band);
    }

    internal string? MetadataItem(string name, string? domain) =>
        GdalNative.Utf8(GdalNative.GDALGetDatasetMetadataItem(_handle, name, domain));

    internal int LayerCount => GdalNative.GDALDatasetGetLayerCount(_handle);

    internal OgrLayer Layer(int index)
    {
        GdalError.Reset();
        IntPtr layer = GdalError.CheckPointer(GdalNative.GDALDatasetGetLayer(_handle, index), Path, $"getting layer {index}");
        return new OgrLayer(this, layer);
    }

    /// <summary>Creates a layer; <paramref name="spatialReference"/> null means "no CRS".</summary>
    internal OgrLayer CreateLayer(
        string name,
        SpatialReference? spatialReference,
        OgrGeometryType geometryType,
        IEnumerable<KeyValuePair<string, string>>? options = null)
    {
        GdalError.Reset();
        // An invalid (zero) SafeHandle marshals as NULL.
        using var noSrs = new SpatialReferenceHandle();
        IntPtr layer = GdalNative.GDALDatasetCreateLayer(_handle, name, spatialReference?.Handle ?? noSrs, geometryType, GdalOptions.From(options));
        return new OgrLayer(this, GdalError.CheckPointer(layer, Path, $"creating layer '{name}'"));
    }

    /// <summary>Starts a real (not emulated) transaction; false when the driver has none.</summary>
    internal bool TryStartTransaction()
    {
        GdalError.Reset();
        return GdalNative.GDALDatasetStartTransaction(_handle, force: false) == OgrErr.None;
    }

    internal void CommitTransaction()
    {
        GdalError.Reset();
        GdalError.CheckOgr(GdalNative.GDALDatasetCommitTransaction(_handle), Path, "committing the transaction");
    }

    internal void RollbackTransaction()
    {
        GdalError.Reset();
        _ = GdalNative.GDALDatasetRollbackTransaction(_handle);
    }

    internal void FlushCache()
    {
        GdalError.Reset();
        GdalNative.GDALFlushCache(_handle);
        if (GdalError.HasFailure)
        {
            throw GdalError.Failure(Path, "writing cached data");
        }
    }

    /// <summary>
    /// Closes the dataset now and reports errors raised while GDAL flushes and finalises the file
    /// (Dispose swallows them, so writers call this on their success path).
    /// </summary>
    internal void Close()
    {
        GdalError.Reset();
        _handle.Dispose();
        if (GdalError.HasFailure)
        {
            throw GdalError.Failure(Path, "finishing the file");
        }
    }

    public void Dispose() => _handle.Dispose();

    private static IntPtr Driver(string driverName, string path)
    {
        GdalError.Reset();
        IntPtr driver = GdalNative.GDALGetDriverByName(driverName);
        if (driver == IntPtr.Zero)
        {
            throw new GdalException(path, $"finding the GDAL driver '{driverName}'", "this GDAL build does not include it", 0);
        }

        return driver;
    }
}
