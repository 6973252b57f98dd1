using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>The tokens of <see cref="SampleRunDeflate"/>: runs of one sample found, literals and matches counted.</summary>
internal static partial class SampleRunDeflate
{
    /// <summary>
    /// Splits the samples, <paramref name="rows"/> rows of <paramref name="rowLength"/> samples
    /// <paramref name="stride"/> apart, read as one sequence, into maximal runs of one value (a run may go on
    /// into the next row): each run's first sample as literal bytes, the rest as matches one sample back; then
    /// <paramref name="tail"/> (bytes after the last whole sample) as literals. Counts the symbols.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tokenize<T>(ReadOnlySpan<T> source, int rowLength, int stride, int rows, ReadOnlySpan<byte> tail, Scratch s)
        where T : unmanaged, IBinaryInteger<T>
    {
        // Bytes of a sample are taken from its value, lowest first: the order in memory on little-endian machines.
        int size = Unsafe.SizeOf<T>();
        ref ushort tokens = ref MemoryMarshal.GetArrayDataReference(s.Tokens);
        // One table per byte position: consecutive counts of one byte value would wait on each other.
        ref int byPosition = ref MemoryMarshal.GetArrayDataReference(s.PositionFrequencies);
        int count = 0;
        T value = default;
        long repeats = -1; // samples repeating the run's first one so far; -1 outside a run reaching a row's end
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> samples = source.Slice(r * stride, rowLength);
            int n = samples.Length;
            int j = 0;
            if (repeats >= 0)
            {
                // The run that reached the end of the row above goes on here while the value repeats.
                int other = samples.IndexOfAnyExcept(value);
                j = other < 0 ? n : other;
                repeats += j;
                if (j == n)
                {
                    continue;
                }

                count = AddRunMatches(ref tokens, count, s.LiteralFrequencies, ref byPosition, ulong.CreateTruncating(value), size, repeats * size);
                repeats = -1;
            }

            while (j < n)
            {
                value = samples[j];
                ulong v = ulong.CreateTruncating(value);
                WriteLiterals(ref Unsafe.Add(ref tokens, count), v, size);
                count += size;
                CountLiterals(ref byPosition, v, size);
                int end = j + 1;
                if (end < n && samples[end] == value)
                {
                    // Most runs are short: a few samples are compared one by one before the vectorized search.
                    end++;
                    while (end < n && end - j < 8 && samples[end] == value)
                    {
                        end++;
                    }

                    if (end - j == 8 && end < n)
                    {
                        int other = samples[end..].IndexOfAnyExcept(value);
                        end = other < 0 ? n : end + other;
                    }
                }

                if (end == n)
                {
                    repeats = end - j - 1; // coded once the next rows show where the run ends
                    break;
                }

                if (end - j > 1)
                {
                    count = AddRunMatches(ref tokens, count, s.LiteralFrequencies, ref byPosition, v, size, (long)(end - j - 1) * size);
                }

                j = end;
            }
        }

        if (repeats > 0)
        {
            count = AddRunMatches(ref tokens, count, s.LiteralFrequencies, ref byPosition, ulong.CreateTruncating(value), size, repeats * size);
        }

        foreach (byte x in tail)
        {
            Unsafe.Add(ref tokens, count++) = x;
            Unsafe.Add(ref byPosition, x)++;
        }

        int[] literals = s.LiteralFrequencies;
        for (int b = 0; b < size; b++)
        {
            for (int x = 0; x < 256; x++)
            {
                literals[x] += Unsafe.Add(ref byPosition, (b << 8) + x);
            }
        }

        s.TokenCount = count;
    }

    /// <summary>Counts the sample's bytes, each in the table of its position (unrolled: the size is a constant).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CountLiterals(ref int byPosition, ulong v, int size)
    {
        Unsafe.Add(ref byPosition, (int)(v & 0xFF))++;
        if (size >= 2)
        {
            Unsafe.Add(ref byPosition, 256 + (int)((v >> 8) & 0xFF))++;
        }

        if (size >= 4)
        {
            Unsafe.Add(ref byPosition, 512 + (int)((v >> 16) & 0xFF))++;
            Unsafe.Add(ref byPosition, 768 + (int)((v >> 24) & 0xFF))++;
        }

        for (int b = 4; b < size; b++)
        {
            Unsafe.Add(ref byPosition, (b << 8) + (int)((v >> (8 * b)) & 0xFF))++;
        }
    }

    /// <summary>The sample's bytes as literal tokens (one store for samples of up to 4 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLiterals(ref ushort tokens, ulong v, int size)
    {
        switch (size)
        {
            case 1:
                tokens = (ushort)v;
                break;
            case 2:
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref tokens), (uint)((v & 0xFF) | ((v & 0xFF00) << 8)));
                break;
            case 4:
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref tokens), Spread(v));
                break;
            default:
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref tokens), Spread(v));
                Unsafe.WriteUnaligned(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref tokens, 4)), Spread(v >> 32));
                break;
        }
    }

    /// <summary>The 4 low bytes of <paramref name="v"/> as 4 16-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Spread(ulong v) =>
        (v & 0xFF) | ((v & 0xFF00) << 8) | ((v & 0xFF0000) << 16) | ((v & 0xFF000000) << 24);

    /// <summary>
    /// Codes <paramref name="length"/> bytes repeating the sample <paramref name="sample"/> just written as
    /// matches of at most 258 bytes (none shorter than 3: a remainder of 1 or 2 bytes is literals).
    /// </summary>
    private static int AddRunMatches(ref ushort tokens, int count, int[] literals, ref int byPosition, ulong sample, int size, long length)
    {
        long done = 0;
        while (length - done >= MinMatch)
        {
            long left = length - done;
            int match = left <= MaxMatch ? (int)left : left - MaxMatch >= MinMatch ? MaxMatch : (int)(left - MinMatch);
            Unsafe.Add(ref tokens, count++) = (ushort)(EndOfBlock + match - (MinMatch - 1)); // 257 = length 3 … 512 = length 258
            literals[LengthCodes[match].Symbol]++;
            done += match;
        }

        for (; done < length; done++)
        {
            int position = (int)(done % size);
            uint x = (uint)(sample >> (8 * position)) & 0xFF;
            Unsafe.Add(ref tokens, count++) = (ushort)x;
            Unsafe.Add(ref byPosition, (position << 8) + (int)x)++;
        }

        return count;
    }
}
