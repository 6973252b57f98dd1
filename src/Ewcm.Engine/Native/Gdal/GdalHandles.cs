using Microsoft.Win32.SafeHandles;

namespace Ewcm.Engine.Native.Gdal;

// Owned GDAL/OGR/OSR objects. Each handle frees its object exactly once, even when a caller forgets
// to dispose (the finalizer runs ReleaseHandle). Borrowed pointers (bands, layers, a feature's own
// geometry, a layer's SRS) stay plain IntPtr inside the wrappers and are never wrapped here.

/// <summary>A raster or vector dataset from GDALOpenEx / GDALCreate / GDALCreateCopy, closed with GDALClose.</summary>
internal sealed class DatasetHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DatasetHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        GdalNative.GDALClose(handle);
        return true;
    }
}

/// <summary>A feature returned by OGR_L_GetNextFeature or made by OGR_F_Create, freed with OGR_F_Destroy.</summary>
internal sealed class FeatureHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FeatureHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        GdalNative.OGR_F_Destroy(handle);
        return true;
    }
}

/// <summary>A geometry Ewcm created or cloned (not one still owned by a feature), freed with OGR_G_DestroyGeometry.</summary>
internal sealed class GeometryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public GeometryHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        GdalNative.OGR_G_DestroyGeometry(handle);
        return true;
    }
}

/// <summary>A spatial reference Ewcm created or cloned, released with OSRRelease (it is reference counted).</summary>
internal sealed class SpatialReferenceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SpatialReferenceHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        GdalNative.OSRRelease(handle);
        return true;
    }
}

/// <summary>A coordinate transformation from OCTNewCoordinateTransformation.</summary>
internal sealed class CoordinateTransformationHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CoordinateTransformationHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        GdalNative.OCTDestroyCoordinateTransformation(handle);
        return true;
    }
}

/// <summary>A field definition from OGR_Fld_Create, freed with OGR_Fld_Destroy once the layer has copied it.</summary>
internal sealed class FieldDefinitionHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public FieldDefinitionHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle()
    {
        GdalNative.OGR_Fld_Destroy(handle);
        return true;
    }
}
