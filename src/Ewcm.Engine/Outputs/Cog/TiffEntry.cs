using System.Buffers.Binary;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>One TIFF directory entry: tag, field type, value count and the little-endian value bytes.</summary>
/// <param name="Tag">TIFF tag number.</param>
/// <param name="Type">TIFF field type (see <see cref="TiffType"/>).</param>
/// <param name="Count">Number of values.</param>
/// <param name="Value">Count × size-of-type bytes, little-endian.</param>
internal sealed record TiffEntry(ushort Tag, ushort Type, long Count, byte[] Value)
{
    internal static TiffEntry Short(ushort tag, int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)value));
        return new TiffEntry(tag, TiffType.Short, 1, bytes);
    }

    internal static TiffEntry Long(ushort tag, long value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, checked((uint)value));
        return new TiffEntry(tag, TiffType.Long, 1, bytes);
    }

    /// <summary>SHORT when the value fits (as GDAL writes image sizes), else LONG.</summary>
    internal static TiffEntry ShortOrLong(ushort tag, int value) => value <= ushort.MaxValue ? Short(tag, value) : Long(tag, value);

    /// <summary>An array of LONG (classic TIFF) or LONG8 (BigTIFF) values.</summary>
    internal static TiffEntry Offsets(ushort tag, ReadOnlySpan<long> values, bool bigTiff)
    {
        int size = bigTiff ? 8 : 4;
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            if (bigTiff)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), checked((ulong)values[i]));
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), checked((uint)values[i]));
            }
        }

        return new TiffEntry(tag, bigTiff ? TiffType.Long8 : TiffType.Long, values.Length, bytes);
    }
}

/// <summary>TIFF field types and tag numbers used by the COG writer.</summary>
internal static class TiffType
{
    internal const ushort Byte = 1;
    internal const ushort Ascii = 2;
    internal const ushort Short = 3;
    internal const ushort Long = 4;
    internal const ushort Rational = 5;
    internal const ushort SByte = 6;
    internal const ushort Undefined = 7;
    internal const ushort SShort = 8;
    internal const ushort SLong = 9;
    internal const ushort SRational = 10;
    internal const ushort Float = 11;
    internal const ushort Double = 12;
    internal const ushort Ifd = 13;
    internal const ushort Long8 = 16;
    internal const ushort SLong8 = 17;
    internal const ushort Ifd8 = 18;

    /// <summary>Bytes per value of <paramref name="type"/>, or 0 for a type this reader does not know.</summary>
    internal static int Size(ushort type) => type switch
    {
        Byte or Ascii or SByte or Undefined => 1,
        Short or SShort => 2,
        Long or SLong or Float or Ifd => 4,
        Rational or SRational or Double or Long8 or SLong8 or Ifd8 => 8,
        _ => 0,
    };
}

/// <summary>Tag numbers (TIFF 6.0, GeoTIFF 1.1 and GDAL's private tags).</summary>
internal static class TiffTag
{
    internal const ushort NewSubfileType = 254;
    internal const ushort ImageWidth = 256;
    internal const ushort ImageLength = 257;
    internal const ushort BitsPerSample = 258;
    internal const ushort Compression = 259;
    internal const ushort Photometric = 262;
    internal const ushort SamplesPerPixel = 277;
    internal const ushort PlanarConfiguration = 284;
    internal const ushort Predictor = 317;
    internal const ushort TileWidth = 322;
    internal const ushort TileLength = 323;
    internal const ushort TileOffsets = 324;
    internal const ushort TileByteCounts = 325;
    internal const ushort SampleFormat = 339;
    internal const ushort ModelPixelScale = 33550;
    internal const ushort ModelTiepoint = 33922;
    internal const ushort ModelTransformation = 34264;
    internal const ushort GeoKeyDirectory = 34735;
    internal const ushort GeoDoubleParams = 34736;
    internal const ushort GeoAsciiParams = 34737;
    internal const ushort GdalMetadata = 42112;
    internal const ushort GdalNoData = 42113;
}
