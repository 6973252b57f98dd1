namespace Ewcm.Engine.Native.Gdal;

/// <summary>
/// An OGR spatial reference owned by Ewcm, always in traditional GIS axis order (x = longitude or
/// easting, y = latitude or northing) so coordinates never swap behind the caller's back.
/// </summary>
internal sealed class SpatialReference : IDisposable
{
    private static readonly string?[] SameOptions =
        ["CRITERION=EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS", "IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", null];

    private SpatialReference(SpatialReferenceHandle handle)
    {
        Handle = handle;
        GdalNative.OSRSetAxisMappingStrategy(handle, AxisMappingStrategy.TraditionalGisOrder);
    }

    internal SpatialReferenceHandle Handle { get; }

    /// <summary>Parses WKT (1 or 2); <paramref name="context"/> names where it came from for error messages.</summary>
    internal static SpatialReference FromWkt(string wkt, string context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(wkt);
        GdalLibrary.EnsureInitialized();
        GdalError.Reset();
        SpatialReferenceHandle handle = GdalNative.OSRNewSpatialReference(wkt);
        return new SpatialReference(GdalError.CheckHandle(handle, context, "parsing the coordinate reference system WKT"));
    }

    /// <summary>Anything OSRSetFromUserInput accepts: "EPSG:4326", a PROJ string, WKT, PROJJSON...</summary>
    internal static SpatialReference FromUserInput(string definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definition);
        GdalLibrary.EnsureInitialized();
        GdalError.Reset();
        SpatialReferenceHandle handle = GdalError.CheckHandle(GdalNative.OSRNewSpatialReference(null), definition, "creating a spatial reference");
        var srs = new SpatialReference(handle);
        try
        {
            GdalError.CheckOgr(GdalNative.OSRSetFromUserInput(handle, definition), definition, "interpreting the coordinate reference system");
            return srs;
        }
        catch
        {
            srs.Dispose();
            throw;
        }
    }

    /// <summary>Own copy of a borrowed SRS (a layer's or a dataset's); null when <paramref name="borrowed"/> is zero.</summary>
    internal static SpatialReference? CloneOf(IntPtr borrowed, string context)
    {
        if (borrowed == IntPtr.Zero)
        {
            return null;
        }

        GdalError.Reset();
        return new SpatialReference(GdalError.CheckHandle(GdalNative.OSRClone(borrowed), context, "copying the coordinate reference system"));
    }

    /// <summary>WKT1 (what most tools and ProjNET read); WKT2 for the few CRSs WKT1 cannot express.</summary>
    internal string ToWkt()
    {
        GdalError.Reset();
        string? wkt = Export("FORMAT=WKT1") ?? Export("FORMAT=WKT2_2018");
        return wkt ?? throw GdalError.Failure(Name ?? "coordinate reference system", "exporting WKT");
    }

    /// <summary>
    /// True when coordinates in both CRSs mean the same places. Ewcm always uses traditional GIS order,
    /// so a geographic CRS declared lat/lon (EPSG:4326) equals the same CRS written lon/lat or without AXIS: the
    /// declared axis order and the data-axis mapping are ignored for geographic CRSs.
    /// </summary>
    internal bool IsSame(SpatialReference other) => GdalNative.OSRIsSameEx(Handle, other.Handle, SameOptions);

    internal bool IsGeographic => GdalNative.OSRIsGeographic(Handle);

    internal string? Name => GdalNative.Utf8(GdalNative.OSRGetName(Handle));

    /// <summary>("EPSG", "4326") from the CRS's own AUTHORITY / ID node, if it has one.</summary>
    internal (string Name, string Code)? Authority
    {
        get
        {
            string? name = GdalNative.Utf8(GdalNative.OSRGetAuthorityName(Handle, null));
            string? code = GdalNative.Utf8(GdalNative.OSRGetAuthorityCode(Handle, null));
            return name is null || code is null ? null : (name, code);
        }
    }

    /// <summary>
    /// The authority code of the best catalogue match (OSRFindMatches) when GDAL is at least 90% sure,
    /// i.e. the definitions are equivalent; for CRSs written without AUTHORITY nodes.
    /// </summary>
    internal unsafe (string Name, string Code)? FindAuthorityMatch()
    {
        GdalError.Reset();
        IntPtr* matches = GdalNative.OSRFindMatches(Handle, null, out int count, out int* confidences);
        try
        {
            if (matches == null || count == 0 || confidences[0] < 90)
            {
                return null;
            }

            using SpatialReference? best = CloneOf(matches[0], "catalogue match");
            return best?.Authority;
        }
        finally
        {
            if (matches != null)
            {
                GdalNative.OSRFreeSRSArray(matches);
            }

            if (confidences != null)
            {
                GdalNative.VSIFree((IntPtr)confidences);
            }
        }
    }

    internal double SemiMajor => GdalNative.OSRGetSemiMajor(Handle, out _);

    /// <summary>Inverse flattening; 0 for a sphere.</summary>
    internal double InverseFlattening => GdalNative.OSRGetInvFlattening(Handle, out _);

    public void Dispose() => Handle.Dispose();

    private string? Export(string format)
    {
        int error = GdalNative.OSRExportToWktEx(Handle, out IntPtr text, [format, null]);
        try
        {
            return error == OgrErr.None ? GdalNative.Utf8(text) : null;
        }
        finally
        {
            if (text != IntPtr.Zero)
            {
                GdalNative.VSIFree(text);
            }
        }
    }
}

/// <summary>An OGR coordinate transformation between two <see cref="SpatialReference"/>s.</summary>
internal sealed class CoordinateTransformation : IDisposable
{
    private CoordinateTransformation(CoordinateTransformationHandle handle) => Handle = handle;

    internal CoordinateTransformationHandle Handle { get; }

    /// <summary>Builds source → target; <paramref name="context"/> (the file) is named if PROJ has no path between them.</summary>
    internal static CoordinateTransformation Create(SpatialReference source, SpatialReference target, string context)
    {
        GdalError.Reset();
        CoordinateTransformationHandle handle = GdalNative.OCTNewCoordinateTransformation(source.Handle, target.Handle);
        return new CoordinateTransformation(GdalError.CheckHandle(handle, context, "building the coordinate transformation"));
    }

    public void Dispose() => Handle.Dispose();
}
