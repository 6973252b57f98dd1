using System.Runtime.InteropServices;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>OGR's C API (ogr_api.h): layers, features, fields and geometries.</summary>
internal static unsafe partial class GdalNative
{
    // ---- Layers (borrowed from their dataset) ----

    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_L_GetName(IntPtr layer);

    /// <summary>Borrowed SRS of a layer, or zero when the layer has none.</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_L_GetSpatialRef(IntPtr layer);

    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_L_GetLayerDefn(IntPtr layer);

    [LibraryImport(Lib)]
    internal static partial void OGR_L_ResetReading(IntPtr layer);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int OGR_L_SetAttributeFilter(IntPtr layer, string? query);

    [LibraryImport(Lib)]
    internal static partial FeatureHandle OGR_L_GetNextFeature(IntPtr layer);

    [LibraryImport(Lib)]
    internal static partial int OGR_L_CreateField(IntPtr layer, FieldDefinitionHandle field, [MarshalAs(UnmanagedType.Bool)] bool approxOk);

    [LibraryImport(Lib)]
    internal static partial int OGR_L_CreateFeature(IntPtr layer, FeatureHandle feature);

    // ---- Layer schema (borrowed) ----

    [LibraryImport(Lib)]
    internal static partial int OGR_FD_GetFieldCount(IntPtr featureDefinition);

    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_FD_GetFieldDefn(IntPtr featureDefinition, int index);

    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_Fld_GetNameRef(IntPtr field);

    [LibraryImport(Lib)]
    internal static partial OgrFieldType OGR_Fld_GetType(IntPtr field);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial FieldDefinitionHandle OGR_Fld_Create(string name, OgrFieldType type);

    [LibraryImport(Lib)]
    internal static partial void OGR_Fld_Destroy(IntPtr field);

    // ---- Features ----

    [LibraryImport(Lib)]
    internal static partial FeatureHandle OGR_F_Create(IntPtr featureDefinition);

    [LibraryImport(Lib)]
    internal static partial void OGR_F_Destroy(IntPtr feature);

    [LibraryImport(Lib)]
    internal static partial long OGR_F_GetFID(FeatureHandle feature);

    /// <summary>The feature's own geometry (borrowed, may be zero).</summary>
    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_F_GetGeometryRef(FeatureHandle feature);

    /// <summary>Copies <paramref name="geometry"/> into the feature.</summary>
    [LibraryImport(Lib)]
    internal static partial int OGR_F_SetGeometry(FeatureHandle feature, GeometryHandle geometry);

    [LibraryImport(Lib)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool OGR_F_IsFieldSetAndNotNull(FeatureHandle feature, int index);

    [LibraryImport(Lib)]
    internal static partial long OGR_F_GetFieldAsInteger64(FeatureHandle feature, int index);

    [LibraryImport(Lib)]
    internal static partial double OGR_F_GetFieldAsDouble(FeatureHandle feature, int index);

    [LibraryImport(Lib)]
    internal static partial IntPtr OGR_F_GetFieldAsString(FeatureHandle feature, int index);

    [LibraryImport(Lib)]
    internal static partial void OGR_F_SetFieldNull(FeatureHandle feature, int index);

    [LibraryImport(Lib)]
    internal static partial void OGR_F_SetFieldInteger64(FeatureHandle feature, int index, long value);

    [LibraryImport(Lib)]
    internal static partial void OGR_F_SetFieldDouble(FeatureHandle feature, int index, double value);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void OGR_F_SetFieldString(FeatureHandle feature, int index, string value);

    // ---- Geometries (IntPtr = borrowed, GeometryHandle = owned) ----

    [LibraryImport(Lib)]
    internal static partial int OGR_G_CreateFromWkbEx(byte* wkb, IntPtr spatialReference, out GeometryHandle geometry, nuint size);

    [LibraryImport(Lib)]
    internal static partial void OGR_G_DestroyGeometry(IntPtr geometry);

    [LibraryImport(Lib)]
    internal static partial GeometryHandle OGR_G_Clone(IntPtr geometry);

    [LibraryImport(Lib)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool OGR_G_IsEmpty(IntPtr geometry);

    [LibraryImport(Lib)]
    [return: MarshalAs(UnmanagedType.Bool)]
    internal static partial bool OGR_G_HasCurveGeometry(IntPtr geometry, [MarshalAs(UnmanagedType.Bool)] bool lookForNonLinear);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial GeometryHandle OGR_G_GetLinearGeometry(IntPtr geometry, double maxAngleStepDegrees, string?[]? options);

    [LibraryImport(Lib)]
    internal static partial int OGR_G_Transform(GeometryHandle geometry, CoordinateTransformationHandle transformation);

    [LibraryImport(Lib)]
    internal static partial nuint OGR_G_WkbSizeEx(IntPtr geometry);

    /// <summary>Writes ISO WKB; byteOrder 1 = little endian (wkbNDR).</summary>
    [LibraryImport(Lib)]
    internal static partial int OGR_G_ExportToIsoWkb(IntPtr geometry, int byteOrder, byte* buffer);
}
