namespace Ewcm.Engine.Native.Gdal;

/// <summary>GDAL's <c>CPLErr</c>: severity of a reported problem and result of many calls.</summary>
internal enum CplErr
{
    None = 0,
    Debug = 1,
    Warning = 2,
    Failure = 3,
    Fatal = 4,
}

/// <summary>GDAL's <c>GDALDataType</c> (only the members Ewcm uses by name).</summary>
internal enum GdalDataType
{
    Unknown = 0,
    Byte = 1,
    Float32 = 6,
    Float64 = 7,
}

/// <summary>GDAL's <c>GDALRWFlag</c>.</summary>
internal enum GdalAccess
{
    Read = 0,
    Write = 1,
}

/// <summary>Flags of <c>GDALOpenEx</c>.</summary>
[Flags]
internal enum GdalOpenFlags : uint
{
    ReadOnly = 0x00,
    Update = 0x01,
    Raster = 0x02,
    Vector = 0x04,
    VerboseError = 0x40,
}

/// <summary>OGR's <c>OGRFieldType</c> (subset).</summary>
internal enum OgrFieldType
{
    Integer = 0,
    IntegerList = 1,
    Real = 2,
    RealList = 3,
    String = 4,
    StringList = 5,
    Binary = 8,
    Date = 9,
    Time = 10,
    DateTime = 11,
    Integer64 = 12,
    Integer64List = 13,
}

/// <summary>OGR's <c>OGRwkbGeometryType</c> for 2D simple features (subset).</summary>
internal enum OgrGeometryType
{
    Unknown = 0,
    Point = 1,
    LineString = 2,
    Polygon = 3,
    MultiPoint = 4,
    MultiLineString = 5,
    MultiPolygon = 6,
    GeometryCollection = 7,
}

/// <summary>OGR's <c>OGRErr</c> codes (subset).</summary>
internal static class OgrErr
{
    public const int None = 0;
    public const int UnsupportedOperation = 4;
}

/// <summary>OSR's <c>OSRAxisMappingStrategy</c>.</summary>
internal enum AxisMappingStrategy
{
    /// <summary>x = longitude / easting, y = latitude / northing, whatever the authority says.</summary>
    TraditionalGisOrder = 0,
    AuthorityCompliant = 1,
}
