using NetTopologySuite.Geometries;
using NetTopologySuite;
using NetTopologySuite.Geometries.Implementation;
using NetTopologySuite.IO;

namespace Ewcm.Engine.Native.Gdal;

/// <summary>Moves geometries between OGR and NetTopologySuite through ISO WKB.</summary>
internal static unsafe class OgrGeometry
{
    private const int LittleEndian = 1; // wkbNDR

    /// <summary>A WKB reader producing 2D geometries: Z and M ordinates are dropped on read.</summary>
    internal static WKBReader CreateReader() => new(Packed) { HandleOrdinates = Ordinates.XY, HandleSRID = false };

    /// <summary>
    /// Coordinates stored as one array of doubles per ring, not one object per vertex: a country's coverage has
    /// millions of vertices, and every full garbage collection would walk them one by one.
    /// </summary>
    private static readonly NtsGeometryServices Packed = new(new DotSpatialAffineCoordinateSequenceFactory(Ordinates.XY), new PrecisionModel(), 0);

    /// <summary>A WKB writer for 2D geometries in little-endian ISO WKB.</summary>
    internal static WKBWriter CreateWriter() => new(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false);

    /// <summary>Converts a borrowed OGR geometry.</summary>
    internal static Geometry ToNts(IntPtr geometry, WKBReader reader, string path)
    {
        var wkb = new byte[checked((int)GdalNative.OGR_G_WkbSizeEx(geometry))];
        GdalError.Reset();
        fixed (byte* buffer = wkb)
        {
            GdalError.CheckOgr(GdalNative.OGR_G_ExportToIsoWkb(geometry, LittleEndian, buffer), path, "exporting a geometry as WKB");
        }

        return reader.Read(wkb);
    }

    /// <summary>Converts an owned OGR geometry (it stays owned by the caller).</summary>
    internal static Geometry ToNts(GeometryHandle geometry, WKBReader reader, string path)
    {
        bool added = false;
        try
        {
            // Pin the handle for the duration of the two calls that take the raw pointer.
            geometry.DangerousAddRef(ref added);
            return ToNts(geometry.DangerousGetHandle(), reader, path);
        }
        finally
        {
            if (added)
            {
                geometry.DangerousRelease();
            }
        }
    }

    /// <summary>A new OGR geometry with the shape of <paramref name="geometry"/>; the caller disposes it.</summary>
    internal static GeometryHandle FromNts(Geometry geometry, WKBWriter writer, string path)
    {
        byte[] wkb = writer.Write(geometry);
        GdalError.Reset();
        int result;
        GeometryHandle handle;
        fixed (byte* buffer = wkb)
        {
            result = GdalNative.OGR_G_CreateFromWkbEx(buffer, IntPtr.Zero, out handle, (nuint)wkb.Length);
        }

        if (result != OgrErr.None)
        {
            handle.Dispose();
            throw GdalError.Failure(path, $"converting a {geometry.GeometryType} to an OGR geometry");
        }

        return handle;
    }
}
