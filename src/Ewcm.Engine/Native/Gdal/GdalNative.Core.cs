using System.Runtime.InteropServices;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>
/// GDAL's C API (gdal.h, gdal_alg.h, cpl_error.h, cpl_conv.h) as source-generated P/Invokes.
/// </summary>
/// <remarks>
/// Only <see cref="GdalLibrary"/> may be the first to call in here: it loads the library and installs
/// the error handler. <c>const char*</c> results GDAL keeps ownership of are returned as
/// <see cref="IntPtr"/> (the UTF-8 string marshaller would free them) and read with <see cref="Utf8"/>.
/// String lists (<c>char**</c>) are passed as <c>string?[]</c> whose last element is null (see <see cref="GdalOptions"/>).
/// </remarks>
internal static unsafe partial class GdalNative
{
    /// <summary>Logical library name; <see cref="GdalLibrary"/> resolves it to the real file.</summary>
    internal const string Lib = "gdal";

    /// <summary>Reads a borrowed UTF-8 C string; null stays null.</summary>
    internal static string? Utf8(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);

    // ---- CPL: errors, configuration, memory ----

    [LibraryImport(Lib)]
    internal static partial IntPtr CPLSetErrorHandler(delegate* unmanaged[Cdecl]<int, int, byte*, void> handler);

    [LibraryImport(Lib)]
    internal static partial void CPLErrorReset();

    [LibraryImport(Lib)]
    internal static partial int CPLGetLastErrorNo();

    [LibraryImport(Lib)]
    internal static partial IntPtr CPLGetLastErrorMsg();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void CPLSetConfigOption(string key, string? value);

    [LibraryImport(Lib)]
    internal static partial void VSIFree(IntPtr memory);

    // ---- Drivers and datasets ----

    [LibraryImport(Lib)]
    internal static partial void GDALAllRegister();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALVersionInfo(string request);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALGetDriverByName(string name);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DatasetHandle GDALOpenEx(
        string path,
        GdalOpenFlags flags,
        string?[]? allowedDrivers,
        string?[]? openOptions,
        string?[]? siblingFiles);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DatasetHandle GDALCreate(
        IntPtr driver,
        string path,
        int width,
        int height,
        int bandCount,
        GdalDataType dataType,
        string?[]? options);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial DatasetHandle GDALCreateCopy(
        IntPtr driver,
        string path,
        DatasetHandle source,
        [MarshalAs(UnmanagedType.Bool)] bool strict,
        string?[]? options,
        IntPtr progress,
        IntPtr progressData);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CplErr GDALDeleteDataset(IntPtr driver, string path);

    /// <summary>Closes a dataset. Returns void in GDAL 3.6 (CPLErr from 3.7 on; ignoring it is harmless).</summary>
    [LibraryImport(Lib)]
    internal static partial void GDALClose(IntPtr dataset);

    [LibraryImport(Lib)]
    internal static partial void GDALFlushCache(DatasetHandle dataset);

    [LibraryImport(Lib, EntryPoint = "GDALGetMetadataItem", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALGetDatasetMetadataItem(DatasetHandle dataset, string name, string? domain);

    // ---- Raster datasets and bands ----

    [LibraryImport(Lib)]
    internal static partial int GDALGetRasterXSize(DatasetHandle dataset);

    [LibraryImport(Lib)]
    internal static partial int GDALGetRasterYSize(DatasetHandle dataset);

    [LibraryImport(Lib)]
    internal static partial int GDALGetRasterCount(DatasetHandle dataset);

    [LibraryImport(Lib)]
    internal static partial CplErr GDALGetGeoTransform(DatasetHandle dataset, double* transform);

    [LibraryImport(Lib)]
    internal static partial CplErr GDALSetGeoTransform(DatasetHandle dataset, double* transform);

    /// <summary>Borrowed SRS of a raster dataset, or zero.</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr GDALGetSpatialRef(DatasetHandle dataset);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CplErr GDALSetProjection(DatasetHandle dataset, string wkt);

    /// <summary>Borrowed band (1-based), valid while the dataset is open.</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr GDALGetRasterBand(DatasetHandle dataset, int bandNumber);

    [LibraryImport(Lib)]
    internal static partial double GDALGetRasterNoDataValue(IntPtr band, out int hasNoData);

    [LibraryImport(Lib)]
    internal static partial CplErr GDALSetRasterNoDataValue(IntPtr band, double noData);

    /// <summary>Decodes one block in the band's own data type, bypassing the block cache.</summary>
    [LibraryImport(Lib)]
    internal static partial CplErr GDALReadBlock(IntPtr band, int xBlock, int yBlock, void* buffer);

    [LibraryImport(Lib)]
    internal static partial CplErr GDALSetRasterScale(IntPtr band, double scale);

    [LibraryImport(Lib)]
    internal static partial CplErr GDALSetRasterOffset(IntPtr band, double offset);

    /// <summary>Sets the description of a dataset or band (GDALMajorObjectH).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void GDALSetDescription(IntPtr majorObject, string description);

    [LibraryImport(Lib)]
    internal static partial void GDALGetBlockSize(IntPtr band, out int blockWidth, out int blockHeight);

    [LibraryImport(Lib)]
    internal static partial int GDALGetRasterBandXSize(IntPtr band);

    [LibraryImport(Lib)]
    internal static partial int GDALGetRasterBandYSize(IntPtr band);

    [LibraryImport(Lib)]
    internal static partial int GDALGetOverviewCount(IntPtr band);

    /// <summary>Borrowed overview band (0 = largest), owned by the band's dataset.</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr GDALGetOverview(IntPtr band, int index);

    [LibraryImport(Lib)]
    internal static partial double GDALGetRasterScale(IntPtr band, out int hasScale);

    /// <summary>Description of a dataset or band (GDALMajorObjectH); borrowed string.</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr GDALGetDescription(IntPtr majorObject);

    [LibraryImport(Lib)]
    internal static partial GdalDataType GDALGetRasterDataType(IntPtr band);

    [LibraryImport(Lib)]
    internal static partial IntPtr GDALGetDataTypeName(GdalDataType dataType);

    [LibraryImport(Lib)]
    internal static partial CplErr GDALRasterIO(
        IntPtr band,
        GdalAccess access,
        int xOffset,
        int yOffset,
        int xSize,
        int ySize,
        void* buffer,
        int bufferXSize,
        int bufferYSize,
        GdalDataType bufferType,
        int pixelSpace,
        int lineSpace);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CplErr GDALPolygonize(
        IntPtr sourceBand,
        IntPtr maskBand,
        IntPtr outLayer,
        int pixelValueField,
        string?[]? options,
        IntPtr progress,
        IntPtr progressData);

    // ---- Vector datasets ----

    [LibraryImport(Lib)]
    internal static partial int GDALDatasetGetLayerCount(DatasetHandle dataset);

    /// <summary>Borrowed layer, valid while the dataset is open.</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr GDALDatasetGetLayer(DatasetHandle dataset, int index);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr GDALDatasetCreateLayer(
        DatasetHandle dataset,
        string name,
        SpatialReferenceHandle spatialReference,
        OgrGeometryType geometryType,
        string?[]? options);

    [LibraryImport(Lib)]
    internal static partial int GDALDatasetStartTransaction(DatasetHandle dataset, [MarshalAs(UnmanagedType.Bool)] bool force);

    [LibraryImport(Lib)]
    internal static partial int GDALDatasetCommitTransaction(DatasetHandle dataset);

    [LibraryImport(Lib)]
    internal static partial int GDALDatasetRollbackTransaction(DatasetHandle dataset);
}
