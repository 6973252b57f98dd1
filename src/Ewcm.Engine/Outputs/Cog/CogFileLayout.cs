using System.Buffers.Binary;
using System.Text;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Native.Posix;
using Microsoft.Win32.SafeHandles;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>
/// Writes the final Cloud Optimized GeoTIFF from the compressed tiles of a <see cref="TileStore"/>, in the
/// layout of GDAL's COG driver: header, GDAL's structural metadata ("ghost" area), every directory (full
/// resolution first, then overviews), then tile data from the smallest overview to full resolution, each
/// level's tiles in row-major order, each tile preceded by its size and followed by its last 4 bytes. The
/// full resolution starts at a multiple of 4 KiB, zeros in front of it, so that its tiles can stay where
/// they were written (see <see cref="Write"/>).
/// </summary>
internal static class CogFileLayout
{
    /// <summary>
    /// GDAL's description of the layout below; GDAL reports LAYOUT=COG for files that declare all four
    /// block properties, and readers may rely on them to fetch tiles without the tile index.
    /// </summary>
    private const string StructuralMetadata =
        "LAYOUT=IFDS_BEFORE_DATA\nBLOCK_ORDER=ROW_MAJOR\nBLOCK_LEADER=SIZE_AS_UINT4\nBLOCK_TRAILER=LAST_4_BYTES_REPEATED\nKNOWN_INCOMPATIBLE_EDITION=NO\n ";

    /// <summary>What a level's directory needs besides its tile index.</summary>
    internal sealed record Level(int Width, int Height, int TilesAcross, int TilesDown)
    {
        internal int TileCount => TilesAcross * TilesDown;
    }

    /// <summary>
    /// Completes the COG from the tiles of <paramref name="store"/> and returns the path of the finished file.
    /// Where the file system can, the full-resolution tiles stay where they are in <see cref="TileStore.Main"/>:
    /// a gap is opened in front of them (<see cref="OrderedTileFile.TryMakeRoomInFront"/>) and the directories
    /// and overviews are written into it. Elsewhere, or with <paramref name="forceCopy"/>, everything is copied
    /// into <paramref name="copyPath"/>; both give the same bytes. <paramref name="forceBigTiff"/> asks for
    /// BigTIFF even when classic TIFF would do (for tests).
    /// </summary>
    internal static string Write(string copyPath, IReadOnlyList<Level> levels, int bitsPerSample, int sampleFormat, GeoTiffTags geoTags, TileStore store,
        bool forceBigTiff = false, bool forceCopy = false)
    {
        OrderedTileFile main = store.Main;
        if (!main.IsComplete)
        {
            // Only after a failed write (e.g. disk full while compressing): never write a file with holes.
            throw new InvalidOperationException($"{main.Path}: not every full-resolution tile was stored; an earlier write failed.");
        }

        // The overview tiles in file order: smallest overview first, each level row-major.
        var order = new List<(int Level, int Index)>();
        long overviewBytes = 0;
        for (int l = levels.Count - 1; l >= 1; l--)
        {
            for (int i = 0; i < levels[l].TileCount; i++)
            {
                (long at, int length) = store.Tile(l, i);
                if (at < 0)
                {
                    throw new InvalidOperationException($"{store.Path}: tile {i} of level {l} was never stored; an earlier write failed.");
                }

                order.Add((l, i));
                overviewBytes += length + 8;
            }
        }

        byte[] head = Head(levels, bitsPerSample, sampleFormat, geoTags, store, overviewBytes, forceBigTiff, out long[][] offsets, out long mainAt);
        try
        {
            if (!forceCopy && main.TryMakeRoomInFront(mainAt))
            {
                SafeFileHandle file = main.Flushed();
                RandomAccess.Write(file, head, 0);
                CopyOverviews(order, store, file, head.Length, offsets);
                return main.Path;
            }

            // Preallocating reports a full disk before anything is copied.
            using SafeFileHandle output = TemporaryFiles.CreateNewHandle(copyPath, mainAt + main.Length);
            RandomAccess.Write(output, head, 0);
            long end = CopyOverviews(order, store, output, head.Length, offsets);
            RandomAccess.Write(output, new byte[mainAt - end], end);
            var buffer = new byte[1 << 20];
            for (long done = 0; done < main.Length; done += buffer.Length)
            {
                Span<byte> part = buffer.AsSpan(0, (int)Math.Min(buffer.Length, main.Length - done));
                main.Read(done, part);
                RandomAccess.Write(output, part, mainAt + done);
            }

            return copyPath;
        }
        catch (IOException e)
        {
            throw new EwcmException($"{main.Path}: cannot write the raster (disk full?): {e.Message}", e);
        }
    }

    /// <summary>
    /// Copies the overview tiles, in file order from <paramref name="at"/>, each with GDAL's leader (its size) and
    /// trailer (its last 4 bytes again); returns where they end.
    /// </summary>
    private static long CopyOverviews(List<(int Level, int Index)> order, TileStore store, SafeFileHandle output, long at, long[][] offsets)
    {
        int largest = 0;
        foreach ((int l, int i) in order)
        {
            largest = Math.Max(largest, store.Tile(l, i).Length);
        }

        var buffer = new byte[Math.Max(1 << 20, largest + 8)];
        int used = 0;
        foreach ((int l, int i) in order)
        {
            (long from, int length) = store.Tile(l, i);
            if (used + length + 8 > buffer.Length)
            {
                RandomAccess.Write(output, buffer.AsSpan(0, used), at);
                at += used;
                used = 0;
            }

            if (at + used != offsets[l][i] - 4)
            {
                throw new InvalidOperationException($"Tile {i} of level {l} lands at {at + used + 4}, not at {offsets[l][i]}.");
            }

            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), (uint)length);
            store.Read(from, buffer.AsSpan(used + 4, length));
            buffer.AsSpan(used + length, 4).CopyTo(buffer.AsSpan(used + 4 + length));
            used += length + 8;
        }

        RandomAccess.Write(output, buffer.AsSpan(0, used), at);
        return at + used;
    }

    /// <summary>
    /// Header, ghost area and all directories with their values. <paramref name="offsets"/> gets each tile's data
    /// offset: the overviews right after the head, the full resolution from <paramref name="mainAt"/>, the first
    /// multiple of <see cref="FileSpace.Block"/> after them (the unit in which a file's blocks can be moved).
    /// </summary>
    private static byte[] Head(IReadOnlyList<Level> levels, int bitsPerSample, int sampleFormat, GeoTiffTags geoTags, TileStore store,
        long overviewBytes, bool forceBigTiff, out long[][] offsets, out long mainAt)
    {
        byte[] ghostBody = Encoding.ASCII.GetBytes(StructuralMetadata);
        byte[] ghost = Encoding.ASCII.GetBytes($"GDAL_STRUCTURAL_METADATA_SIZE={ghostBody.Length:D6} bytes\n").Concat(ghostBody).ToArray();

        // A first pass with zero offsets gives the size of the directories, hence where the data starts.
        // Classic TIFF whenever the whole file fits in 32-bit offsets; BigTIFF only beyond.
        offsets = [.. levels.Select(l => new long[l.TileCount])];
        bool big = forceBigTiff;
        byte[] head = Serialize(levels, bitsPerSample, sampleFormat, geoTags, store, big, offsets, big ? 16 : 8, ghost);
        if (!big && RoundUp(head.Length + overviewBytes) + store.Main.Length > uint.MaxValue)
        {
            big = true;
            head = Serialize(levels, bitsPerSample, sampleFormat, geoTags, store, big, offsets, 16, ghost);
        }

        int headerSize = big ? 16 : 8;
        long position = head.Length;
        for (int l = levels.Count - 1; l >= 1; l--)
        {
            for (int i = 0; i < levels[l].TileCount; i++)
            {
                offsets[l][i] = position + 4;
                position += store.Tile(l, i).Length + 8;
            }
        }

        mainAt = RoundUp(position);
        for (int i = 0; i < levels[0].TileCount; i++)
        {
            offsets[0][i] = mainAt + store.Main.Tile(i).Offset;
        }

        return Serialize(levels, bitsPerSample, sampleFormat, geoTags, store, big, offsets, headerSize, ghost);
    }

    private static long RoundUp(long bytes) => (bytes + FileSpace.Block - 1) / FileSpace.Block * FileSpace.Block;

    private static byte[] Serialize(IReadOnlyList<Level> levels, int bitsPerSample, int sampleFormat, GeoTiffTags geoTags, TileStore store,
        bool big, long[][] offsets, int headerSize, byte[] ghost)
    {
        using var head = new MemoryStream();
        var header = new byte[headerSize];
        header[0] = (byte)'I';
        header[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), big ? (ushort)43 : (ushort)42);
        if (big)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 8);
        }

        head.Write(header);
        head.Write(ghost);
        Align(head);
        long firstDirectory = head.Position;
        long previousNextField = -1;
        for (int l = 0; l < levels.Count; l++)
        {
            long directoryAt = head.Position;
            if (previousNextField >= 0)
            {
                Patch(head, previousNextField, directoryAt, big);
            }

            List<TiffEntry> entries = Entries(levels[l], l, bitsPerSample, sampleFormat, geoTags, store, big, offsets[l]);
            previousNextField = WriteDirectory(head, entries, big);
        }

        byte[] bytes = head.ToArray();
        if (big)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), (ulong)firstDirectory);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)firstDirectory);
        }

        return bytes;
    }

    private static List<TiffEntry> Entries(Level level, int index, int bitsPerSample, int sampleFormat, GeoTiffTags geoTags, TileStore store,
        bool big, long[] offsets)
    {
        var byteCounts = new long[level.TileCount];
        for (int i = 0; i < byteCounts.Length; i++)
        {
            byteCounts[i] = store.Tile(index, i).Length;
        }

        var entries = new List<TiffEntry>();
        if (index > 0)
        {
            entries.Add(TiffEntry.Long(TiffTag.NewSubfileType, 1)); // reduced-resolution image
        }

        entries.Add(TiffEntry.ShortOrLong(TiffTag.ImageWidth, level.Width));
        entries.Add(TiffEntry.ShortOrLong(TiffTag.ImageLength, level.Height));
        entries.Add(TiffEntry.Short(TiffTag.BitsPerSample, bitsPerSample));
        entries.Add(TiffEntry.Short(TiffTag.Compression, 8)); // DEFLATE (zlib stream)
        entries.Add(TiffEntry.Short(TiffTag.Photometric, 1)); // min-is-black
        entries.Add(TiffEntry.Short(TiffTag.SamplesPerPixel, 1));
        entries.Add(TiffEntry.Short(TiffTag.PlanarConfiguration, 1));
        entries.Add(TiffEntry.Short(TiffTag.Predictor, 1)); // none, stated as GDAL does
        entries.Add(TiffEntry.Short(TiffTag.TileWidth, PyramidLevel<byte>.TileSize));
        entries.Add(TiffEntry.Short(TiffTag.TileLength, PyramidLevel<byte>.TileSize));
        entries.Add(TiffEntry.Offsets(TiffTag.TileOffsets, offsets, big));
        entries.Add(TiffEntry.Offsets(TiffTag.TileByteCounts, byteCounts, big));
        entries.Add(TiffEntry.Short(TiffTag.SampleFormat, sampleFormat));
        if (index == 0)
        {
            entries.AddRange(geoTags.Main);
        }
        else if (geoTags.NoData is not null)
        {
            // GDAL's COG driver repeats the nodata value on every overview.
            entries.Add(geoTags.NoData);
        }

        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        return entries;
    }

    /// <summary>Writes a directory and then its out-of-line values; returns the position of its next-directory field.</summary>
    private static long WriteDirectory(MemoryStream head, List<TiffEntry> entries, bool big)
    {
        int entrySize = big ? 20 : 12;
        int inline = big ? 8 : 4;
        long start = head.Position;
        long directorySize = (big ? 8 : 2) + ((long)entries.Count * entrySize) + (big ? 8 : 4);
        long valuesAt = start + directorySize;
        var directory = new byte[directorySize];
        Span<byte> d = directory;
        if (big)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(d, (ulong)entries.Count);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)entries.Count);
        }

        using var values = new MemoryStream();
        int p = big ? 8 : 2;
        foreach (TiffEntry e in entries)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d[p..], e.Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(d[(p + 2)..], e.Type);
            if (big)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(d[(p + 4)..], (ulong)e.Count);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(d[(p + 4)..], checked((uint)e.Count));
            }

            Span<byte> field = d.Slice(p + (big ? 12 : 8), inline);
            if (e.Value.Length <= inline)
            {
                e.Value.CopyTo(field);
            }
            else
            {
                long at = valuesAt + values.Position;
                if (big)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(field, (ulong)at);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)at));
                }

                values.Write(e.Value);
                Align(values);
            }

            p += entrySize;
        }

        head.Write(directory);
        head.Write(values.GetBuffer(), 0, (int)values.Length);
        return start + directorySize - (big ? 8 : 4);
    }

    private static void Patch(MemoryStream head, long at, long value, bool big)
    {
        Span<byte> bytes = head.GetBuffer().AsSpan((int)at);
        if (big)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, checked((uint)value));
        }
    }

    /// <summary>TIFF wants directories and values on word boundaries.</summary>
    private static void Align(MemoryStream stream)
    {
        if ((stream.Position & 1) != 0)
        {
            stream.WriteByte(0);
        }
    }
}
