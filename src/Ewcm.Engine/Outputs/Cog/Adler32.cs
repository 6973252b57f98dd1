using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>Adler-32 (RFC 1950), the checksum that ends a zlib stream; 32 bytes at a time where AVX2 allows.</summary>
internal static class Adler32
{
    private const uint Modulus = 65521;

    /// <summary>Bytes after which the sums must be reduced: the most for which the larger cannot overflow 32 bits.</summary>
    private const int Block = 5552;

    internal static uint Compute(ReadOnlySpan<byte> data) => Update(1, data);

    /// <summary>The checksum of what <paramref name="adler"/> summed, followed by <paramref name="data"/> (start from 1).</summary>
    internal static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint low = adler & 0xFFFF, high = adler >> 16;
        while (data.Length > 0)
        {
            int n = Math.Min(data.Length, Block);
            int done = Avx2.IsSupported ? Vectorized(data[..(n & ~31)], ref low, ref high) : 0;
            foreach (byte b in data[done..n])
            {
                low += b;
                high += low;
            }

            low %= Modulus;
            high %= Modulus;
            data = data[n..];
        }

        return (high << 16) | low;
    }

    /// <summary>
    /// Adds whole 32-byte chunks (at most <see cref="Block"/> bytes) to the sums: per chunk, low gains the bytes'
    /// sum and high gains 32 × low before it plus the bytes weighted 32, 31, …, 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Vectorized(ReadOnlySpan<byte> data, ref uint low, ref uint high)
    {
        Vector256<sbyte> weights = Vector256.Create(
            (sbyte)32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
            16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        Vector256<short> ones = Vector256.Create((short)1);
        Vector256<uint> sums = Vector256<uint>.Zero;      // bytes' sums (in the low halves of 4 lanes)
        Vector256<uint> lows = Vector256<uint>.Zero;      // low before each chunk, summed
        Vector256<uint> weighted = Vector256<uint>.Zero;  // weighted bytes
        ref byte start = ref MemoryMarshal.GetReference(data);
        int chunks = data.Length / 32;
        for (int c = 0; c < chunks; c++)
        {
            Vector256<byte> bytes = Vector256.LoadUnsafe(ref start, (nuint)(c * 32));
            lows += sums;
            sums += Avx2.SumAbsoluteDifferences(bytes, Vector256<byte>.Zero).AsUInt32();
            weighted += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(bytes, weights), ones).AsUInt32();
        }

        high += (32 * ((uint)chunks * low + Vector256.Sum(lows))) + Vector256.Sum(weighted);
        low += Vector256.Sum(sums);
        return chunks * 32;
    }
}
