using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>An OGR feature owned by Ewcm (read from a layer or created for writing).</summary>
internal sealed class OgrFeature : IDisposable
{
    private readonly OgrLayer _layer;

    internal OgrFeature(FeatureHandle handle, OgrLayer layer)
    {
        Handle = handle;
        _layer = layer;
    }

    internal FeatureHandle Handle { get; }

    internal long Fid => GdalNative.OGR_F_GetFID(Handle);

    /// <summary>False for fields that are unset or explicitly null.</summary>
    internal bool HasValue(int field) => GdalNative.OGR_F_IsFieldSetAndNotNull(Handle, field);

    internal long GetInt64(int field) => GdalNative.OGR_F_GetFieldAsInteger64(Handle, field);

    internal double GetDouble(int field) => GdalNative.OGR_F_GetFieldAsDouble(Handle, field);

    /// <summary>GDAL's text form of any field type (dates as "YYYY/MM/DD", lists as "(n:a,b)").</summary>
    internal string GetString(int field) => GdalNative.Utf8(GdalNative.OGR_F_GetFieldAsString(Handle, field)) ?? "";

    internal void SetNull(int field) => GdalNative.OGR_F_SetFieldNull(Handle, field);

    internal void SetInt64(int field, long value) => GdalNative.OGR_F_SetFieldInteger64(Handle, field, value);

    internal void SetDouble(int field, double value) => GdalNative.OGR_F_SetFieldDouble(Handle, field, value);

    internal void SetString(int field, string value) => GdalNative.OGR_F_SetFieldString(Handle, field, value);

    /// <summary>
    /// The feature's geometry as a 2D NTS geometry, optionally reprojected; null when the feature has
    /// no geometry or an empty one. Curves are approximated by line segments (NTS has no arcs).
    /// </summary>
    /// <param name="reader">A WKB reader that keeps only XY (see <see cref="OgrGeometry.CreateReader"/>).</param>
    /// <param name="transform">Reprojection to apply, or null to keep the layer's CRS.</param>
    internal Geometry? ReadGeometry(WKBReader reader, CoordinateTransformation? transform)
    {
        IntPtr own = GdalNative.OGR_F_GetGeometryRef(Handle);
        if (own == IntPtr.Zero || GdalNative.OGR_G_IsEmpty(own))
        {
            return null;
        }

        if (!GdalNative.OGR_G_HasCurveGeometry(own, lookForNonLinear: true) && transform is null)
        {
            return OgrGeometry.ToNts(own, reader, _layer.Path);
        }

        // The feature's geometry is borrowed: change a copy, never the original.
        string action = $"converting the geometry of feature {Fid} in layer '{_layer.Name}'";
        GdalError.Reset();
        using GeometryHandle copy = GdalError.CheckHandle(
            GdalNative.OGR_G_HasCurveGeometry(own, lookForNonLinear: true)
                ? GdalNative.OGR_G_GetLinearGeometry(own, 0, null)
                : GdalNative.OGR_G_Clone(own),
            _layer.Path,
            action);
        if (transform is not null)
        {
            GdalError.Reset();
            GdalError.CheckOgr(
                GdalNative.OGR_G_Transform(copy, transform.Handle),
                _layer.Path,
                $"reprojecting feature {Fid} of layer '{_layer.Name}'");
        }

        return OgrGeometry.ToNts(copy, reader, _layer.Path);
    }

    /// <summary>Sets the feature's geometry from an NTS geometry (via WKB).</summary>
    internal void SetGeometry(Geometry geometry, WKBWriter writer)
    {
        using GeometryHandle ogr = OgrGeometry.FromNts(geometry, writer, _layer.Path);
        GdalError.Reset();
        GdalError.CheckOgr(GdalNative.OGR_F_SetGeometry(Handle, ogr), _layer.Path, "setting a feature geometry");
    }

    public void Dispose() => Handle.Dispose();
}
