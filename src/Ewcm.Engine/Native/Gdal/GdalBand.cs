namespace Ewcm.Engine.Native.Gdal;

/// <summary>A raster band borrowed from an open <see cref="GdalDataset"/>.</summary>
internal sealed class GdalBand
{
    private readonly GdalDataset _owner;
    private readonly IntPtr _band;

    internal GdalBand(GdalDataset owner, IntPtr band)
    {
        _owner = owner;
        _band = band;
    }

    /// <summary>The band's nodata value, or null when it has none.</summary>
    internal double? NoData
    {
        get
        {
            double value = GdalNative.GDALGetRasterNoDataValue(_band, out int hasNoData);
            GC.KeepAlive(_owner);
            return hasNoData != 0 ? value : null;
        }
    }

    internal void SetNoData(double value)
    {
        GdalError.Reset();
        CplErr result = GdalNative.GDALSetRasterNoDataValue(_band, value);
        GC.KeepAlive(_owner);
        GdalError.Check(result, _owner.Path, "setting the nodata value");
    }

    /// <summary>Declares that stored values × <paramref name="scale"/> + <paramref name="offset"/> give the physical values.</summary>
    internal void SetScaleOffset(double scale, double offset)
    {
        GdalError.Reset();
        CplErr result = GdalNative.GDALSetRasterScale(_band, scale);
        GdalError.Check(result, _owner.Path, "setting the scale");
        result = GdalNative.GDALSetRasterOffset(_band, offset);
        GC.KeepAlive(_owner);
        GdalError.Check(result, _owner.Path, "setting the offset");
    }

    internal void SetDescription(string description)
    {
        GdalNative.GDALSetDescription(_band, description);
        GC.KeepAlive(_owner);
    }

    /// <summary>The band's scale (physical = stored × scale + offset), or null when it has none.</summary>
    internal double? Scale
    {
        get
        {
            double value = GdalNative.GDALGetRasterScale(_band, out int hasScale);
            GC.KeepAlive(_owner);
            return hasScale != 0 ? value : null;
        }
    }

    /// <summary>The band's description ("" when none).</summary>
    internal string Description
    {
        get
        {
            string? text = GdalNative.Utf8(GdalNative.GDALGetDescription(_band));
            GC.KeepAlive(_owner);
            return text ?? "";
        }
    }

    /// <summary>Columns and rows of this band (smaller than the dataset's for an overview).</summary>
    internal (int Width, int Height) Size
    {
        get
        {
            (int w, int h) = (GdalNative.GDALGetRasterBandXSize(_band), GdalNative.GDALGetRasterBandYSize(_band));
            GC.KeepAlive(_owner);
            return (w, h);
        }
    }

    /// <summary>Number of overviews (reduced-resolution versions) of the band.</summary>
    internal int OverviewCount
    {
        get
        {
            int count = GdalNative.GDALGetOverviewCount(_band);
            GC.KeepAlive(_owner);
            return count;
        }
    }

    /// <summary>Overview <paramref name="index"/> (0 = largest), valid while the dataset is open.</summary>
    internal GdalBand Overview(int index)
    {
        IntPtr overview = GdalNative.GDALGetOverview(_band, index);
        GC.KeepAlive(_owner);
        return overview == IntPtr.Zero ? throw new ArgumentOutOfRangeException(nameof(index)) : new GdalBand(_owner, overview);
    }

    /// <summary>Natural block (tile or strip) size: reading whole blocks is fastest.</summary>
    internal (int Width, int Height) BlockSize
    {
        get
        {
            GdalNative.GDALGetBlockSize(_band, out int width, out int height);
            GC.KeepAlive(_owner);
            return (width, height);
        }
    }

    internal GdalDataType DataType
    {
        get
        {
            GdalDataType type = GdalNative.GDALGetRasterDataType(_band);
            GC.KeepAlive(_owner);
            return type;
        }
    }

    /// <summary>GDAL's name of the stored pixel type, e.g. "Float32", "Int16".</summary>
    internal string DataTypeName => GdalNative.Utf8(GdalNative.GDALGetDataTypeName(DataType)) ?? "Unknown";

    /// <summary>Reads a window converted to <typeparamref name="T"/> (byte, float or double), row-major, packed.</summary>
    /// <exception cref="GdalException">GDAL failed, e.g. the file is truncated or a block is corrupt.</exception>
    internal unsafe void Read<T>(int column, int row, int width, int height, Span<T> destination)
        where T : unmanaged
    {
        CheckBuffer(width, height, destination.Length);
        GdalError.Reset();
        CplErr result;
        fixed (T* buffer = destination)
        {
            result = GdalNative.GDALRasterIO(_band, GdalAccess.Read, column, row, width, height, buffer, width, height, BufferType<T>(), 0, 0);
        }

        GC.KeepAlive(_owner);
        GdalError.Check(result, _owner.Path, $"reading columns {column}-{column + width - 1}, rows {row}-{row + height - 1}");
    }

    /// <summary>
    /// Decodes block (<paramref name="xBlock"/>, <paramref name="yBlock"/>) into <paramref name="destination"/>
    /// (BlockWidth × BlockHeight values of the band's own type), without going through GDAL's block cache.
    /// </summary>
    internal unsafe void ReadBlock<T>(int xBlock, int yBlock, Span<T> destination)
        where T : unmanaged
    {
        if (BufferType<T>() != DataType)
        {
            throw new InvalidOperationException($"Block reads need the band's own type {DataTypeName}.");
        }

        (int bw, int bh) = BlockSize;
        CheckBuffer(bw, bh, destination.Length);
        GdalError.Reset();
        CplErr result;
        fixed (T* buffer = destination)
        {
            result = GdalNative.GDALReadBlock(_band, xBlock, yBlock, buffer);
        }

        GC.KeepAlive(_owner);
        GdalError.Check(result, _owner.Path, $"reading block ({xBlock}, {yBlock})");
    }

    /// <summary>Writes a window of <typeparamref name="T"/> values (converted to the band's type by GDAL).</summary>
    internal unsafe void Write<T>(int column, int row, int width, int height, ReadOnlySpan<T> source)
        where T : unmanaged
    {
        CheckBuffer(width, height, source.Length);
        GdalError.Reset();
        CplErr result;
        fixed (T* buffer = source)
        {
            result = GdalNative.GDALRasterIO(_band, GdalAccess.Write, column, row, width, height, buffer, width, height, BufferType<T>(), 0, 0);
        }

        GC.KeepAlive(_owner);
        GdalError.Check(result, _owner.Path, $"writing rows {row}-{row + height - 1}");
    }

    /// <summary>
    /// Traces the connected regions of equal value (GDALPolygonize, 4-connected) into <paramref name="layer"/>,
    /// storing each region's value in field <paramref name="valueField"/>. Cells where
    /// <paramref name="mask"/> is 0 produce no polygon.
    /// </summary>
    internal void PolygonizeInto(OgrLayer layer, int valueField, GdalBand? mask)
    {
        GdalError.Reset();
        CplErr result = GdalNative.GDALPolygonize(_band, mask?._band ?? IntPtr.Zero, layer.Pointer, valueField, null, IntPtr.Zero, IntPtr.Zero);
        GC.KeepAlive(_owner);
        GC.KeepAlive(mask?._owner);
        GdalError.Check(result, _owner.Path, "polygonizing");
    }

    private static GdalDataType BufferType<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return GdalDataType.Float32;
        }

        if (typeof(T) == typeof(double))
        {
            return GdalDataType.Float64;
        }

        if (typeof(T) == typeof(byte))
        {
            return GdalDataType.Byte;
        }

        throw new NotSupportedException($"Raster buffers of {typeof(T).Name} are not supported; use byte, float or double.");
    }

    private static void CheckBuffer(int width, int height, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height > length)
        {
            throw new ArgumentException($"The buffer holds {length} values but the window needs {(long)width * height}.");
        }
    }
}
