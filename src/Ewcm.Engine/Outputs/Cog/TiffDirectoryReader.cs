using System.Buffers.Binary;
using Ewcm.Engine.Diagnostics;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>One image file directory of a TIFF file: where it is and its entries (values resolved).</summary>
/// <param name="Offset">File offset of the directory.</param>
/// <param name="Entries">Entries in file order.</param>
internal sealed record TiffDirectory(long Offset, IReadOnlyList<TiffEntry> Entries)
{
    internal TiffEntry? Find(ushort tag) => Entries.FirstOrDefault(e => e.Tag == tag);

    /// <summary>Integer values of an unsigned SHORT, LONG or LONG8 entry.</summary>
    internal long[] Integers(ushort tag)
    {
        TiffEntry e = Find(tag) ?? throw new InvalidDataException($"TIFF tag {tag} is missing.");
        var values = new long[e.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = e.Type switch
            {
                TiffType.Short => BinaryPrimitives.ReadUInt16LittleEndian(e.Value.AsSpan(i * 2)),
                TiffType.Long => BinaryPrimitives.ReadUInt32LittleEndian(e.Value.AsSpan(i * 4)),
                TiffType.Long8 => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(e.Value.AsSpan(i * 8))),
                _ => throw new InvalidDataException($"TIFF tag {tag} has type {e.Type}, not an unsigned integer."),
            };
        }

        return values;
    }
}

/// <summary>
/// Reads the directories of a little-endian classic TIFF or BigTIFF held in memory. Used to take the
/// GeoTIFF tags GDAL writes for a CRS, and by tests to check the COG layout.
/// </summary>
internal static class TiffDirectoryReader
{
    /// <summary>All directories in chain order, and whether the file is a BigTIFF.</summary>
    /// <exception cref="EwcmException">The bytes are not a little-endian TIFF this reader understands.</exception>
    internal static (bool BigTiff, IReadOnlyList<TiffDirectory> Directories) Read(byte[] file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            return ReadChecked(file);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new EwcmException($"{path}: not a TIFF file the COG writer can read ({e.Message}).", e);
        }
    }

    private static (bool, IReadOnlyList<TiffDirectory>) ReadChecked(byte[] file)
    {
        if (file.Length < 8 || file[0] != (byte)'I' || file[1] != (byte)'I')
        {
            throw new InvalidDataException("no little-endian TIFF header");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(2));
        bool big = version switch
        {
            42 => false,
            43 => true,
            _ => throw new InvalidDataException($"TIFF version {version}"),
        };
        long next = big ? checked((long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(8))) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4));
        var directories = new List<TiffDirectory>();
        while (next != 0)
        {
            if (directories.Count > 64 || next >= file.Length)
            {
                throw new InvalidDataException($"directory offset {next} is invalid");
            }

            long offset = next;
            int p = checked((int)offset);
            long count = big ? checked((long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(p))) : BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(p));
            p += big ? 8 : 2;
            var entries = new List<TiffEntry>();
            for (long i = 0; i < count; i++)
            {
                entries.Add(ReadEntry(file, p, big));
                p += big ? 20 : 12;
            }

            next = big ? checked((long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(p))) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p));
            directories.Add(new TiffDirectory(offset, entries));
        }

        return (big, directories);
    }

    private static TiffEntry ReadEntry(byte[] file, int p, bool big)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(p));
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(p + 2));
        long count = big ? checked((long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(p + 4))) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(p + 4));
        int size = TiffType.Size(type);
        if (size == 0)
        {
            throw new InvalidDataException($"tag {tag} has unknown type {type}");
        }

        int length = checked((int)(count * size));
        int inline = big ? 8 : 4;
        int valueAt = p + (big ? 12 : 8);
        int source = length <= inline
            ? valueAt
            : checked((int)(big ? (long)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(valueAt)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(valueAt))));
        if (source + (long)length > file.Length)
        {
            throw new InvalidDataException($"tag {tag} points past the end of the file");
        }

        return new TiffEntry(tag, type, count, file.AsSpan(source, length).ToArray());
    }
}
