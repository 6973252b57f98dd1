using System.Runtime.InteropServices;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>OSR's C API (ogr_srs_api.h): spatial references and coordinate transformations.</summary>
internal static unsafe partial class GdalNative
{
    /// <summary>New SRS from WKT (null or empty for an empty SRS); zero when the WKT does not parse.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SpatialReferenceHandle OSRNewSpatialReference(string? wkt);

    [LibraryImport(Lib)]
    internal static partial SpatialReferenceHandle OSRClone(IntPtr spatialReference);

    [LibraryImport(Lib)]
    internal static partial void OSRRelease(IntPtr spatialReference);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OSRSetFromUserInput(SpatialReferenceHandle spatialReference, string definition);

    [LibraryImport(Lib)]
    internal static partial void OSRSetAxisMappingStrategy(SpatialReferenceHandle spatialReference, AxisMappingStrategy strategy);

    /// <summary>Exports WKT into GDAL-allocated memory the caller frees with <see cref="VSIFree"/>.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OSRExportToWktEx(SpatialReferenceHandle spatialReference, out IntPtr wkt, string?[]? options);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool OSRIsSameEx(SpatialReferenceHandle first, SpatialReferenceHandle second, string?[]? options);

    [LibraryImport(Lib)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool OSRIsGeographic(SpatialReferenceHandle spatialReference);

    [LibraryImport(Lib)]
    internal static partial IntPtr OSRGetName(SpatialReferenceHandle spatialReference);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr OSRGetAuthorityName(SpatialReferenceHandle spatialReference, string? targetKey);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr OSRGetAuthorityCode(SpatialReferenceHandle spatialReference, string? targetKey);

    /// <summary>Array of candidate SRSs (free with <see cref="OSRFreeSRSArray"/>) and their confidences (free with <see cref="VSIFree"/>).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr* OSRFindMatches(SpatialReferenceHandle spatialReference, string?[]? options, out int count, out int* confidences);

    [LibraryImport(Lib)]
    internal static partial void OSRFreeSRSArray(IntPtr* spatialReferences);

    [LibraryImport(Lib)]
    internal static partial double OSRGetSemiMajor(SpatialReferenceHandle spatialReference, out int error);

    [LibraryImport(Lib)]
    internal static partial double OSRGetInvFlattening(SpatialReferenceHandle spatialReference, out int error);

    [LibraryImport(Lib)]
    internal static partial CoordinateTransformationHandle OCTNewCoordinateTransformation(SpatialReferenceHandle source, SpatialReferenceHandle target);

    [LibraryImport(Lib)]
    internal static partial void OCTDestroyCoordinateTransformation(IntPtr transformation);
}
