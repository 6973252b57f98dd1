using System.Buffers.Binary;
using System.IO.Compression;
using Ewcm.Engine.Outputs.Cog;

namespace Ewcm.Engine.Tests.Gdal;

/// <summary>
/// The COG tiles' DEFLATE encoder: every stream is decompressed by .NET's zlib (an independent decoder, which
/// also checks the Adler-32 trailer) and must give the input back; the checksum and the Huffman code lengths
/// are checked against plain oracles. GDAL reading the COGs is in <see cref="CogWriterTests"/>.
/// </summary>
public class SampleRunDeflateTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        foreach (int size in new[] { 1, 2, 4, 8 })
        {
            foreach (string pattern in new[] { "empty", "one-byte", "zeros", "noise", "runs", "runs-and-tail", "people" })
            {
                data.Add(size, pattern);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streams_decompress_to_the_input(int sampleSize, string pattern)
    {
        byte[] raw = Make(pattern, sampleSize, new Random(sampleSize * 31 + pattern.Length));
        byte[] compressed = SampleRunDeflate.Compress(raw, sampleSize).ToArray();

        Assert.Equal(raw, Inflate(compressed, raw.Length));
        Assert.Equal(ScalarAdler(raw), BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(compressed.Length - 4)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_tile_read_in_place_gives_the_stream_of_its_rows_end_to_end(int sampleSize, string pattern)
    {
        if (pattern is "empty" or "one-byte" or "runs-and-tail")
        {
            return; // not whole rows of samples
        }

        // 300 samples per row of the tile, the rows 311 samples apart (other bytes, noise, in between): runs
        // long and short cross the rows' ends.
        const int rowSamples = 300, strideSamples = 311;
        var random = new Random(sampleSize * 7 + pattern.Length);
        byte[] content = Make(pattern, sampleSize, random);
        int rowBytes = rowSamples * sampleSize, strideBytes = strideSamples * sampleSize;
        int rows = content.Length / rowBytes;
        var source = new byte[((rows - 1) * strideBytes) + rowBytes];
        random.NextBytes(source);
        byte[] tile = content[..(rows * rowBytes)];
        for (int r = 0; r < rows; r++)
        {
            tile.AsSpan(r * rowBytes, rowBytes).CopyTo(source.AsSpan(r * strideBytes));
        }

        byte[] inPlace = SampleRunDeflate.Compress(source, rowBytes, strideBytes, rows, sampleSize).ToArray();
        Assert.Equal(SampleRunDeflate.Compress(tile, sampleSize).ToArray(), inPlace);
        Assert.Equal(tile, Inflate(inPlace, tile.Length));
    }

    [Fact]
    public void Runs_across_every_row_end_are_one_run()
    {
        // Row after row of one value, then a single different sample: one literal, then matches only.
        var source = new byte[64 * 4 * 10];
        for (int i = 0; i < source.Length; i += 4)
        {
            BinaryPrimitives.WriteSingleLittleEndian(source.AsSpan(i), 2.5f);
        }

        BinaryPrimitives.WriteSingleLittleEndian(source.AsSpan(source.Length - 4), 7f);
        byte[] inPlace = SampleRunDeflate.Compress(source, 64 * 4, 64 * 4 * 2, 5, 4).ToArray(); // every other row
        byte[] gathered = [.. Enumerable.Range(0, 5).SelectMany(r => source.AsSpan(r * 512, 256).ToArray())];
        Assert.Equal(SampleRunDeflate.Compress(gathered, 4).ToArray(), inPlace);
        Assert.Equal(gathered, Inflate(inPlace, gathered.Length));
        Assert.True(inPlace.Length < 40, $"{inPlace.Length} bytes for one run");
    }

    [Theory]
    [InlineData(6, 8, 2, 4)] // rows of 6 bytes are not whole 4-byte samples
    [InlineData(8, 4, 2, 4)] // rows overlap
    [InlineData(8, 8, 0, 4)] // no row
    [InlineData(8, 16, 3, 4)] // 40 bytes needed
    public void Tiles_that_do_not_fit_their_rows_are_refused(int rowBytes, int strideBytes, int rows, int sampleSize) =>
        Assert.Throws<ArgumentException>(() => SampleRunDeflate.Compress(new byte[32], rowBytes, strideBytes, rows, sampleSize));

    [Fact]
    public void Adler32_goes_on_from_a_previous_checksum()
    {
        var data = new byte[20_000];
        new Random(3).NextBytes(data);
        foreach (int cut in new[] { 0, 1, 31, 5552, 5553, 12_345, 20_000 })
        {
            Assert.Equal(Adler32.Compute(data), Adler32.Update(Adler32.Compute(data.AsSpan(0, cut)), data.AsSpan(cut)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Every_run_length_around_the_longest_match_round_trips(int sampleSize)
    {
        // Runs of 1 to 300 samples (matches of 0 to 299 samples, across the 258-byte limit and its remainders of
        // 1 and 2 bytes), each of a value unlike its neighbours'.
        var raw = new List<byte>();
        for (int run = 1; run <= 300; run++)
        {
            for (int k = 0; k < run; k++)
            {
                for (int b = 0; b < sampleSize; b++)
                {
                    raw.Add((byte)(run + b));
                }
            }
        }

        byte[] input = [.. raw];
        Assert.Equal(input, Inflate(SampleRunDeflate.Compress(input, sampleSize).ToArray(), input.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(16)]
    public void Other_sample_sizes_are_refused(int sampleSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SampleRunDeflate.Compress(new byte[64], sampleSize).Length);
        Assert.Equal("sampleSize", error.ParamName);
    }

    [Fact]
    public void Runs_are_coded_as_matches()
    {
        var zeros = new byte[512 * 512 * 4];
        int size = SampleRunDeflate.Compress(zeros, 4).Length;
        Assert.True(size < 5000, $"a 1 MiB tile of zeros took {size} bytes");
    }

    [Fact]
    public void Incompressible_tiles_grow_by_little()
    {
        var noise = new byte[512 * 512 * 4];
        new Random(7).NextBytes(noise);
        int size = SampleRunDeflate.Compress(noise, 4).Length;
        Assert.True(size < noise.Length * 1.01, $"{noise.Length} random bytes took {size}");
    }

    [Fact]
    public void Skewed_frequencies_need_codes_limited_to_15_bits_and_still_round_trip()
    {
        // Byte b appears Fibonacci(b) times: an unlimited Huffman code would be 25 bits deep.
        var bytes = new List<byte>();
        long a = 1, b = 1;
        for (int symbol = 0; symbol < 26; symbol++)
        {
            bytes.AddRange(Enumerable.Repeat((byte)symbol, (int)a));
            (a, b) = (b, a + b);
        }

        var random = new Random(26);
        byte[] raw = [.. bytes.OrderBy(_ => random.Next())];
        Assert.Equal(raw, Inflate(SampleRunDeflate.Compress(raw, 1).ToArray(), raw.Length));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(7)]
    public void Code_lengths_are_complete_limited_and_ordered_by_frequency(int limit)
    {
        var frequencies = new int[30];
        long a = 1, b = 1;
        for (int i = 0; i < frequencies.Length; i++)
        {
            frequencies[i] = (int)Math.Min(a, int.MaxValue / 4);
            (a, b) = (b, a + b);
        }

        var lengths = new byte[frequencies.Length];
        HuffmanCode.Lengths(frequencies, lengths, limit);

        Assert.All(lengths, l => Assert.InRange(l, 1, limit));
        Assert.Equal(1.0, lengths.Sum(l => Math.Pow(2, -l)), 12); // Kraft: a complete prefix code
        for (int i = 1; i < lengths.Length; i++)
        {
            Assert.True(lengths[i] <= lengths[i - 1], $"symbol {i} is more frequent than {i - 1} but has a longer code");
        }
    }

    [Theory]
    [InlineData(new int[] { 0, 0, 0, 0 })]
    [InlineData(new int[] { 0, 0, 9, 0 })]
    public void Fewer_than_two_used_symbols_still_get_two_codes(int[] frequencies)
    {
        var lengths = new byte[frequencies.Length];
        HuffmanCode.Lengths(frequencies, lengths, 15);
        Assert.Equal(2, lengths.Count(l => l == 1));
        Assert.Equal(2, lengths.Count(l => l != 0));
        if (frequencies[2] > 0)
        {
            Assert.Equal(1, lengths[2]);
        }
    }

    [Fact]
    public void Canonical_codes_follow_rfc_1951()
    {
        // RFC 1951, 3.2.2: lengths (3, 3, 3, 3, 3, 2, 4, 4) give codes 010 011 100 101 110 00 1110 1111.
        byte[] lengths = [3, 3, 3, 3, 3, 2, 4, 4];
        var codes = new ushort[lengths.Length];
        HuffmanCode.Codes(lengths, codes);
        string[] expected = ["010", "011", "100", "101", "110", "00", "1110", "1111"];
        for (int i = 0; i < lengths.Length; i++)
        {
            // Stored bit-reversed (DEFLATE sends the first bit of a code in the lowest position).
            string sent = string.Concat(Enumerable.Range(0, lengths[i]).Select(k => ((codes[i] >> k) & 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(expected[i], sent);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(5551)]
    [InlineData(5552)]
    [InlineData(5553)]
    [InlineData(100_003)]
    public void Adler32_matches_the_byte_by_byte_definition(int length)
    {
        var random = new Random(length);
        var data = new byte[length];
        random.NextBytes(data);
        Assert.Equal(ScalarAdler(data), Adler32.Compute(data));
        Array.Fill(data, (byte)0xFF); // the largest sums
        Assert.Equal(ScalarAdler(data), Adler32.Compute(data));
    }

    private static byte[] Make(string pattern, int sampleSize, Random random)
    {
        const int samples = 20_000;
        switch (pattern)
        {
            case "empty":
                return [];
            case "one-byte":
                return [42];
            case "zeros":
                return new byte[samples * sampleSize];
            case "noise":
                var noise = new byte[samples * sampleSize];
                random.NextBytes(noise);
                return noise;
            case "people":
                // Like the uncovered-people tiles: zeros in short runs between people counts, some nodata.
                var people = new List<byte>();
                while (people.Count < samples * sampleSize)
                {
                    float value = random.Next(3) switch { 0 => 0f, 1 => -99999f, _ => (float)random.NextDouble() * 5 };
                    byte[] bytes = BitConverter.GetBytes(value);
                    for (int k = random.Next(1, 12); k > 0; k--)
                    {
                        for (int b = 0; b < sampleSize; b++)
                        {
                            people.Add(bytes[b % 4]);
                        }
                    }
                }

                return [.. people];
            default:
                var runs = new List<byte>();
                var sample = new byte[sampleSize];
                while (runs.Count < samples * sampleSize)
                {
                    random.NextBytes(sample);
                    int run = random.Next(4) == 0 ? random.Next(1, 2000) : random.Next(1, 5);
                    for (int k = 0; k < run; k++)
                    {
                        runs.AddRange(sample);
                    }
                }

                if (pattern == "runs-and-tail")
                {
                    runs.AddRange(sample.Take(Math.Max(1, sampleSize - 1)));
                }

                return [.. runs];
        }
    }

    private static byte[] Inflate(byte[] compressed, int length)
    {
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var output = new MemoryStream();
        zlib.CopyTo(output);
        Assert.Equal(length, output.Length);
        return output.ToArray();
    }

    private static uint ScalarAdler(byte[] data)
    {
        uint low = 1, high = 0;
        foreach (byte b in data)
        {
            low = (low + b) % 65521;
            high = (high + low) % 65521;
        }

        return (high << 16) | low;
    }
}
