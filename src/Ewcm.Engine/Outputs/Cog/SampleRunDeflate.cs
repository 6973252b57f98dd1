using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>
/// DEFLATE for raster tiles (a zlib stream, RFC 1950/1951: TIFF Compression 8, read by every GDAL, libtiff
/// and geotiff.js). The only repeats it codes are runs of one repeated sample, as matches at a distance of
/// one sample; everything else is literal bytes, in one block with Huffman codes built for the tile.
/// </summary>
/// <remarks>
/// Why not zlib-ng's level 1: the uncovered-people tiles are mostly zeros in short runs between noisy
/// floats. Hash-chain matching finds little else there, and level 1's fixed codes spend 8–9 bits on every
/// literal byte; runs found by comparing samples, and codes fitted to the tile, take about half the time
/// on the tiles of a 400 M-cell country and give smaller files (docs/benchmarks.md, "Third round").
/// </remarks>
internal static partial class SampleRunDeflate
{
    private const int LiteralLengthSymbols = 286;
    private const int DistanceSymbols = 30;
    private const int CodeLengthSymbols = 19;
    private const int EndOfBlock = 256;
    private const int MaxMatch = 258;
    private const int MinMatch = 3;

    /// <summary>Order in which the code-length code's lengths are sent (RFC 1951, 3.2.7).</summary>
    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>Per match length 3–258: its symbol (257–285), extra bits and the extra bits' value.</summary>
    private static readonly (short Symbol, byte ExtraBits, short ExtraValue)[] LengthCodes = BuildLengthCodes();

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>
    /// Compresses <paramref name="raw"/>, a tile of samples of <paramref name="sampleSize"/> bytes (1, 2, 4 or 8),
    /// into a zlib stream; the bytes returned are valid until the next call on this thread.
    /// </summary>
    internal static ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> raw, int sampleSize)
    {
        Scratch s = t_scratch ??= new Scratch();
        s.Reset(raw.Length);
        int whole = raw.Length - (raw.Length % Math.Max(1, sampleSize));
        Tokenize(raw[..whole], whole, whole, 1, sampleSize, raw[whole..], s);
        return Finish(s, sampleSize, Adler32.Compute(raw));
    }

    /// <summary>
    /// Compresses the tile whose <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes lie
    /// <paramref name="strideBytes"/> apart in <paramref name="source"/> (a tile inside a wider buffer, read in
    /// place): the same stream as <see cref="Compress(ReadOnlySpan{byte}, int)"/> of the rows put end to end.
    /// </summary>
    internal static ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> source, int rowBytes, int strideBytes, int rows, int sampleSize)
    {
        if (rowBytes % Math.Max(1, sampleSize) != 0 || strideBytes < rowBytes || rows < 1 || source.Length < ((long)(rows - 1) * strideBytes) + rowBytes)
        {
            throw new ArgumentException($"{rows} rows of {rowBytes} bytes, {strideBytes} apart, do not fit in {source.Length} bytes of {sampleSize}-byte samples.");
        }

        Scratch s = t_scratch ??= new Scratch();
        s.Reset(rows * rowBytes);
        Tokenize(source, rowBytes, strideBytes, rows, sampleSize, [], s);
        uint adler = 1;
        for (int r = 0; r < rows; r++)
        {
            adler = Adler32.Update(adler, source.Slice(r * strideBytes, rowBytes));
        }

        return Finish(s, sampleSize, adler);
    }

    /// <summary>Tokenizes rows of samples of <paramref name="sampleSize"/> bytes (see <see cref="Tokenize{T}"/>).</summary>
    private static void Tokenize(ReadOnlySpan<byte> source, int rowBytes, int strideBytes, int rows, int sampleSize, ReadOnlySpan<byte> tail, Scratch s)
    {
        switch (sampleSize)
        {
            case 1:
                Tokenize<byte>(source, rowBytes, strideBytes, rows, tail, s);
                break;
            case 2:
                Tokenize(MemoryMarshal.Cast<byte, ushort>(source[..(source.Length & ~1)]), rowBytes / 2, strideBytes / 2, rows, tail, s);
                break;
            case 4:
                Tokenize(MemoryMarshal.Cast<byte, uint>(source[..(source.Length & ~3)]), rowBytes / 4, strideBytes / 4, rows, tail, s);
                break;
            case 8:
                Tokenize(MemoryMarshal.Cast<byte, ulong>(source[..(source.Length & ~7)]), rowBytes / 8, strideBytes / 8, rows, tail, s);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(sampleSize), sampleSize, "A sample is 1, 2, 4 or 8 bytes.");
        }
    }

    private static ReadOnlySpan<byte> Finish(Scratch s, int sampleSize, uint adler)
    {
        s.LiteralFrequencies[EndOfBlock]++;
        int distanceSymbol = DistanceSymbol(sampleSize, out int distanceExtraBits, out int distanceExtraValue);
        return Encode(s, distanceSymbol, distanceExtraBits, distanceExtraValue, adler);
    }

    /// <summary>Writes the zlib header, one dynamic-Huffman block of the tokens and the Adler-32 trailer.</summary>
    private static ReadOnlySpan<byte> Encode(Scratch s, int distanceSymbol, int distanceExtraBits, int distanceExtraValue, uint adler)
    {
        int[] literalFrequencies = s.LiteralFrequencies;
        int matches = 0;
        for (int symbol = EndOfBlock + 1; symbol < LiteralLengthSymbols; symbol++)
        {
            matches += literalFrequencies[symbol];
        }

        int[] distanceFrequencies = s.DistanceFrequencies;
        distanceFrequencies[distanceSymbol] = matches;
        HuffmanCode.Lengths(literalFrequencies, s.LiteralLengths, 15);
        HuffmanCode.Lengths(distanceFrequencies, s.DistanceLengths, 15);
        int literalCount = LastUsed(s.LiteralLengths, EndOfBlock + 1);
        int distanceCount = LastUsed(s.DistanceLengths, 1);

        // The two code-length lists are sent as one sequence, run-length coded (symbols 16, 17, 18).
        Span<byte> sequence = stackalloc byte[LiteralLengthSymbols + DistanceSymbols];
        s.LiteralLengths.AsSpan(0, literalCount).CopyTo(sequence);
        s.DistanceLengths.AsSpan(0, distanceCount).CopyTo(sequence[literalCount..]);
        sequence = sequence[..(literalCount + distanceCount)];
        Span<(byte Symbol, byte Extra)> runs = stackalloc (byte, byte)[sequence.Length];
        int runCount = CodeLengthRuns(sequence, runs);
        Span<int> codeLengthFrequencies = stackalloc int[CodeLengthSymbols];
        foreach ((byte symbol, _) in runs[..runCount])
        {
            codeLengthFrequencies[symbol]++;
        }

        Span<byte> codeLengthLengths = stackalloc byte[CodeLengthSymbols];
        HuffmanCode.Lengths(codeLengthFrequencies, codeLengthLengths, 7);
        int codeLengthCount = CodeLengthSymbols;
        while (codeLengthCount > 4 && codeLengthLengths[CodeLengthOrder[codeLengthCount - 1]] == 0)
        {
            codeLengthCount--;
        }

        Span<ushort> codeLengthCodes = stackalloc ushort[CodeLengthSymbols];
        HuffmanCode.Codes(codeLengthLengths, codeLengthCodes);
        HuffmanCode.Codes(s.LiteralLengths, s.LiteralCodes);
        HuffmanCode.Codes(s.DistanceLengths, s.DistanceCodes);

        // The size is known before writing: the buffer never grows.
        long bits = 3 + 5 + 5 + 4 + (3 * codeLengthCount);
        foreach ((byte symbol, _) in runs[..runCount])
        {
            bits += codeLengthLengths[symbol] + CodeLengthExtraBits(symbol);
        }

        for (int symbol = 0; symbol < LiteralLengthSymbols; symbol++)
        {
            bits += (long)literalFrequencies[symbol] * (s.LiteralLengths[symbol] + (symbol > EndOfBlock ? LengthExtraBits(symbol) : 0));
        }

        bits += (long)matches * (s.DistanceLengths[distanceSymbol] + distanceExtraBits);
        int size = 2 + (int)((bits + 7) / 8) + 4;
        byte[] output = s.Output(size + 8); // 8: the bit writer stores whole words

        var writer = new BitWriter(output, 2);
        output[0] = 0x78; // CMF: DEFLATE, 32 KiB window
        output[1] = 0x01; // FLG: no dictionary, "fastest"; (0x78 × 256 + 0x01) is a multiple of 31
        writer.Put(1, 1); // BFINAL
        writer.Put(2, 2); // BTYPE = dynamic Huffman
        writer.Put((uint)(literalCount - 257), 5);
        writer.Put((uint)(distanceCount - 1), 5);
        writer.Put((uint)(codeLengthCount - 4), 4);
        for (int i = 0; i < codeLengthCount; i++)
        {
            writer.Put(codeLengthLengths[CodeLengthOrder[i]], 3);
        }

        foreach ((byte symbol, byte extra) in runs[..runCount])
        {
            writer.Put(codeLengthCodes[symbol], codeLengthLengths[symbol]);
            writer.Put(extra, CodeLengthExtraBits(symbol));
        }

        WriteTokens(s, ref writer, distanceSymbol, distanceExtraBits, distanceExtraValue);
        writer.Put(s.LiteralCodes[EndOfBlock], s.LiteralLengths[EndOfBlock]);
        int end = writer.Finish();
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(end), adler);
        return end + 4 == size
            ? output.AsSpan(0, size)
            : throw new InvalidOperationException($"DEFLATE size mismatch: {end + 4} bytes written, {size} computed.");
    }

    /// <summary>Writes the tokens, each through one table entry: a match's length, extra bits and distance together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteTokens(Scratch s, ref BitWriter writer, int distanceSymbol, int distanceExtraBits, int distanceExtraValue)
    {
        ulong[] fields = s.TokenFields;
        byte[] widths = s.TokenWidths;
        byte[] literalLengths = s.LiteralLengths;
        for (int token = 0; token < EndOfBlock; token++)
        {
            fields[token] = s.LiteralCodes[token];
            widths[token] = literalLengths[token];
        }

        // A match's distance is always the same: its code and extra bits as one field.
        ulong distance = s.DistanceCodes[distanceSymbol] | ((ulong)distanceExtraValue << s.DistanceLengths[distanceSymbol]);
        int distanceBits = s.DistanceLengths[distanceSymbol] + distanceExtraBits;
        for (int length = MinMatch; length <= MaxMatch; length++)
        {
            (short symbol, byte extraBits, short extraValue) = LengthCodes[length];
            int token = EndOfBlock + length - (MinMatch - 1);
            int lengthBits = literalLengths[symbol] + extraBits;
            fields[token] = s.LiteralCodes[symbol] | ((ulong)extraValue << literalLengths[symbol]) | (distance << lengthBits);
            widths[token] = (byte)(lengthBits + distanceBits); // at most 15 + 5 + 15 + 1 bits
        }

        ref ushort tokens = ref MemoryMarshal.GetArrayDataReference(s.Tokens);
        ref ulong field = ref MemoryMarshal.GetArrayDataReference(fields);
        ref byte width = ref MemoryMarshal.GetArrayDataReference(widths);
        ref byte output = ref writer.Output;
        ulong bits = writer.Bits;
        int count = writer.Count;
        int position = writer.Position;
        for (int i = 0; i < s.TokenCount; i++)
        {
            int token = Unsafe.Add(ref tokens, i);
            bits |= Unsafe.Add(ref field, token) << count;
            count += Unsafe.Add(ref width, token);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, position), bits);
            position += count >> 3;
            bits >>= count & ~7;
            count &= 7;
        }

        writer.Bits = bits;
        writer.Count = count;
        writer.Position = position;
    }

    /// <summary>RFC 1951 3.2.7: repeats of a length as 16 (3–6 more), runs of zeros as 17 (3–10) or 18 (11–138).</summary>
    private static int CodeLengthRuns(ReadOnlySpan<byte> sequence, Span<(byte Symbol, byte Extra)> runs)
    {
        int count = 0;
        int i = 0;
        while (i < sequence.Length)
        {
            byte length = sequence[i];
            int run = 1;
            while (i + run < sequence.Length && sequence[i + run] == length)
            {
                run++;
            }

            i += run;
            if (length == 0)
            {
                while (run >= 11)
                {
                    int r = Math.Min(run, 138);
                    runs[count++] = (18, (byte)(r - 11));
                    run -= r;
                }

                if (run >= 3)
                {
                    runs[count++] = (17, (byte)(run - 3));
                    run = 0;
                }
            }
            else
            {
                runs[count++] = (length, 0);
                run--;
                while (run >= 3)
                {
                    int r = Math.Min(run, 6);
                    runs[count++] = (16, (byte)(r - 3));
                    run -= r;
                }
            }

            for (; run > 0; run--)
            {
                runs[count++] = (length, 0);
            }
        }

        return count;
    }

    private static int LastUsed(byte[] lengths, int minimum)
    {
        int count = lengths.Length;
        while (count > minimum && lengths[count - 1] == 0)
        {
            count--;
        }

        return count;
    }

    /// <summary>Extra bits after a code-length symbol: 16 (repeat 3–6) 2, 17 (zeros 3–10) 3, 18 (zeros 11–138) 7.</summary>
    private static int CodeLengthExtraBits(int symbol) => symbol switch { 16 => 2, 17 => 3, 18 => 7, _ => 0 };

    private static int LengthExtraBits(int symbol) => symbol is < 265 or 285 ? 0 : (symbol - 261) / 4;

    /// <summary>The distance symbol of a match one sample back (RFC 1951 3.2.5; distances 1–8).</summary>
    private static int DistanceSymbol(int distance, out int extraBits, out int extraValue)
    {
        (int symbol, extraBits, extraValue) = distance switch
        {
            <= 4 => (distance - 1, 0, 0),
            <= 6 => (4, 1, distance - 5),
            _ => (5, 1, distance - 7),
        };
        return symbol;
    }

    private static (short, byte, short)[] BuildLengthCodes()
    {
        var codes = new (short, byte, short)[MaxMatch + 1];
        int length = MinMatch;
        for (int symbol = 257; symbol < 285; symbol++)
        {
            int extra = LengthExtraBits(symbol);
            for (int v = 0; v < (1 << extra) && length < MaxMatch; v++, length++)
            {
                codes[length] = ((short)symbol, (byte)extra, (short)v);
            }
        }

        codes[MaxMatch] = (285, 0, 0);
        return codes;
    }

    /// <summary>One thread's buffers, reused tile after tile.</summary>
    private sealed class Scratch
    {
        private byte[] _output = [];

        internal ushort[] Tokens { get; private set; } = [];

        internal int TokenCount { get; set; }

        internal int[] LiteralFrequencies { get; } = new int[LiteralLengthSymbols];

        /// <summary>Literal counts per byte position in a sample (8 × 256), added up after tokenizing.</summary>
        internal int[] PositionFrequencies { get; } = new int[8 * 256];

        internal int[] DistanceFrequencies { get; } = new int[DistanceSymbols];

        internal byte[] LiteralLengths { get; } = new byte[LiteralLengthSymbols];

        internal byte[] DistanceLengths { get; } = new byte[DistanceSymbols];

        internal ushort[] LiteralCodes { get; } = new ushort[LiteralLengthSymbols];

        internal ushort[] DistanceCodes { get; } = new ushort[DistanceSymbols];

        /// <summary>Per token (a literal byte, or 257–512 for a match of 3–258 bytes): its bits and their count.</summary>
        internal ulong[] TokenFields { get; } = new ulong[EndOfBlock + MaxMatch - 1];

        internal byte[] TokenWidths { get; } = new byte[EndOfBlock + MaxMatch - 1];

        internal void Reset(int rawLength)
        {
            // At most one token per byte: a match stands for 3 bytes or more.
            if (Tokens.Length < rawLength)
            {
                Tokens = new ushort[rawLength];
            }

            TokenCount = 0;
            Array.Clear(LiteralFrequencies);
            Array.Clear(PositionFrequencies);
            Array.Clear(DistanceFrequencies);
        }

        internal byte[] Output(int size)
        {
            if (_output.Length < size)
            {
                _output = new byte[Math.Max(size, _output.Length * 2)];
            }

            return _output;
        }
    }

    /// <summary>
    /// DEFLATE's bit order: fields packed from the least significant bit (Huffman codes already reversed). Each
    /// field (at most 56 bits) is stored with the pending bits as one 8-byte word, and the position moves by the
    /// whole bytes done: the buffer needs 8 bytes to spare at its end.
    /// </summary>
    private ref struct BitWriter(byte[] output, int position)
    {
        internal ref byte Output = ref MemoryMarshal.GetArrayDataReference(output);
        internal ulong Bits;
        internal int Count;
        internal int Position = position;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void Put(ulong value, int bits)
        {
            Bits |= value << Count;
            Count += bits;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref Output, Position), Bits);
            Position += Count >> 3;
            Bits >>= Count & ~7;
            Count &= 7;
        }

        /// <summary>Counts the last, partial byte (already stored, padded with zeros); returns the end position.</summary>
        internal readonly int Finish() => Position + ((Count + 7) >> 3);
    }
}
