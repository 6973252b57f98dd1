using System.Buffers.Binary;
using Ewcm.Engine.Native.Posix;
using Ewcm.Engine.Outputs.Cog;

namespace Ewcm.Engine.Tests.Gdal;

/// <summary>
/// The full-resolution tile file (tiles in row-major order whatever order they arrive in, with GDAL's leader
/// and trailer) and the block move that keeps it in place, on real files.
/// </summary>
public class OrderedTileFileTests
{
    [Fact]
    public void Tiles_arriving_out_of_order_are_written_in_order_with_leader_and_trailer()
    {
        using var folder = new TempFolder();
        string path = folder.File("tiles");
        byte[][] tiles = [.. Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 10 + (i * 7)).Select(b => (byte)((b * 31) + i)).ToArray())];
        using (var file = new OrderedTileFile(path, tiles.Length))
        {
            foreach (int i in new[] { 2, 1, 5, 0, 4, 3 })
            {
                Assert.False(file.IsComplete);
                file.Add(i, tiles[i]);
            }

            Assert.True(file.IsComplete);
            Assert.Equal(tiles.Sum(t => t.Length + 8), file.Length);
            byte[] written = new byte[file.Length];
            file.Read(0, written);
            long at = 0;
            for (int i = 0; i < tiles.Length; i++)
            {
                Assert.Equal((at + 4, tiles[i].Length), file.Tile(i));
                Assert.Equal((uint)tiles[i].Length, BinaryPrimitives.ReadUInt32LittleEndian(written.AsSpan((int)at)));
                Assert.Equal(tiles[i], written.AsSpan((int)at + 4, tiles[i].Length).ToArray());
                Assert.Equal(tiles[i][^4..], written.AsSpan((int)at + 4 + tiles[i].Length, 4).ToArray());
                at += tiles[i].Length + 8;
            }
        }

        Assert.Equal(tiles.Sum(t => t.Length + 8), new FileInfo(path).Length);
    }

    [Fact]
    public void A_tile_stored_twice_is_refused()
    {
        using var folder = new TempFolder();
        using var file = new OrderedTileFile(folder.File("tiles"), 3);
        file.Add(1, new byte[8]);
        Assert.Throws<InvalidOperationException>(() => file.Add(1, new byte[8])); // waiting for its turn
        file.Add(0, new byte[8]);
        Assert.Throws<InvalidOperationException>(() => file.Add(0, new byte[8])); // already written
    }

    [Fact]
    public void Making_room_in_front_shifts_the_tiles_and_leaves_zeros_or_changes_nothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("tiles");
        var tile = Enumerable.Range(0, 9000).Select(b => (byte)(b % 251)).ToArray();
        byte[] before;
        using (var file = new OrderedTileFile(path, 1))
        {
            file.Add(0, tile);
            before = new byte[file.Length];
            file.Read(0, before);
            // Not a multiple of the block: refused without a system call.
            Assert.False(file.TryMakeRoomInFront(FileSpace.Block + 1));
            Assert.Equal(before, Contents(file, before.Length));

            if (file.TryMakeRoomInFront(2 * FileSpace.Block))
            {
                byte[] after = Contents(file, before.Length + (2 * FileSpace.Block));
                Assert.All(after.AsSpan(0, 2 * FileSpace.Block).ToArray(), b => Assert.Equal(0, b));
                Assert.Equal(before, after.AsSpan(2 * FileSpace.Block).ToArray());
            }
            else
            {
                // A file system that cannot move blocks (tmpfs, overlay, not Linux): the file is untouched.
                Assert.Equal(before, Contents(file, before.Length));
            }
        }
    }

    /// <summary>The whole file, which must be <paramref name="length"/> bytes long.</summary>
    private static byte[] Contents(OrderedTileFile file, long length)
    {
        Assert.Equal(length, RandomAccess.GetLength(file.Flushed()));
        var bytes = new byte[length];
        file.Read(0, bytes);
        return bytes;
    }
}
