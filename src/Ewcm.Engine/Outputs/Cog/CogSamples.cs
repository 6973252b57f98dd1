using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ewcm.Engine.Outputs.Cog;

/// <summary>What the COG writer needs to know about a sample type: how it is stored, padded and averaged.</summary>
internal interface ICogSamples<T>
    where T : unmanaged
{
    /// <summary>Value of cells never written and of tile padding: nodata, else 0 (as GDAL reads sparse blocks).</summary>
    T Fill { get; }

    /// <summary>TIFF BitsPerSample.</summary>
    int BitsPerSample { get; }

    /// <summary>TIFF SampleFormat (1 unsigned integer, 3 IEEE float).</summary>
    int SampleFormat { get; }

    /// <summary>
    /// Averages 2×2 blocks of <paramref name="rows"/> rows of <paramref name="width"/> values into
    /// ⌈rows/2⌉ rows of <paramref name="targetWidth"/> = ⌈width/2⌉ values, skipping nodata (GDAL's AVERAGE);
    /// blocks cut by the raster's edge average the cells they have.
    /// </summary>
    void Reduce(ReadOnlySpan<T> source, int width, int rows, Span<T> target, int targetWidth);

    /// <summary>
    /// True when every value of the tile (<see cref="PyramidLevel{T}.TileSize"/> rows of as many samples,
    /// <paramref name="stride"/> samples apart in <paramref name="source"/>) has the same bits; <paramref name="key"/>
    /// identifies them.
    /// </summary>
    bool IsConstant(ReadOnlySpan<T> source, int stride, out ulong key);
}

/// <summary>Float32 samples; NaN and the nodata value are not averaged.</summary>
internal sealed class FloatSamples(float? noData) : ICogSamples<float>
{
    public float Fill { get; } = noData ?? 0f;

    public int BitsPerSample => 32;

    public int SampleFormat => 3;

    public void Reduce(ReadOnlySpan<float> source, int width, int rows, Span<float> target, int targetWidth)
    {
        // Without nodata, nd is NaN and "v != nd" always holds: one test serves both cases.
        float nd = noData ?? float.NaN; // also the value of a 2×2 block without valid samples
        int pairs = width / 2;
        for (int tr = 0; tr < (rows + 1) / 2; tr++)
        {
            ReadOnlySpan<float> a = source.Slice(2 * tr * width, width);
            bool twoRows = (2 * tr) + 1 < rows;
            ReadOnlySpan<float> b = twoRows ? source.Slice(((2 * tr) + 1) * width, width) : a;
            Span<float> t = target.Slice(tr * targetWidth, targetWidth);
            int c = twoRows ? ReduceFullBlocks(a, b, t, pairs, nd) : 0;
            for (; c < targetWidth; c++)
            {
                int c0 = 2 * c;
                int c1 = c < pairs ? c0 + 1 : c0;
                double sum = 0;
                int n = 0;
                float v = a[c0];
                if (!float.IsNaN(v) && v != nd)
                {
                    sum += v;
                    n++;
                }

                if (c1 != c0)
                {
                    v = a[c1];
                    if (!float.IsNaN(v) && v != nd)
                    {
                        sum += v;
                        n++;
                    }
                }

                if (twoRows)
                {
                    v = b[c0];
                    if (!float.IsNaN(v) && v != nd)
                    {
                        sum += v;
                        n++;
                    }

                    if (c1 != c0)
                    {
                        v = b[c1];
                        if (!float.IsNaN(v) && v != nd)
                        {
                            sum += v;
                            n++;
                        }
                    }
                }

                t[c] = n == 0 ? nd : (float)(sum / n);
            }
        }
    }

    /// <summary>
    /// The 2×2 blocks of two full rows, eight at a time: the same sums in the same order as the scalar loop
    /// (in doubles, starting from +0, invalid samples adding +0, which leaves every sum's bits unchanged), so
    /// the same bits. Returns the first block left to the scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReduceFullBlocks(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> t, int pairs, float nd)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        // Evens of 8 floats to the lower half, odds to the upper.
        Vector256<int> deinterleave = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<float> noData = Vector256.Create(nd);
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rt = ref MemoryMarshal.GetReference(t);
        int c = 0;
        for (; c + 8 <= pairs; c += 8)
        {
            nuint at = (nuint)(2 * c);
            (Vector256<double> sum0, Vector256<long> count0) = SumBlocks(ref ra, ref rb, at, deinterleave, noData);     // blocks c..c+3
            (Vector256<double> sum1, Vector256<long> count1) = SumBlocks(ref ra, ref rb, at + 8, deinterleave, noData); // blocks c+4..c+7
            Vector256<float> average = Vector256.Narrow(sum0 / Vector256.ConvertToDouble(count0), sum1 / Vector256.ConvertToDouble(count1));
            Vector256<int> empty = Vector256.Narrow(Vector256.Equals(count0, Vector256<long>.Zero), Vector256.Equals(count1, Vector256<long>.Zero));
            Vector256.ConditionalSelect(empty.AsSingle(), noData, average).StoreUnsafe(ref rt, (nuint)c);
        }

        return c;
    }

    /// <summary>
    /// Sums and valid counts of the 4 blocks whose samples are the 8 floats at <paramref name="at"/> of both
    /// rows, summed as the scalar loop does: ((0 + a0) + a1) + b0) + b1 in doubles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Sum, Vector256<long> Count) SumBlocks(ref float ra, ref float rb, nuint at, Vector256<int> deinterleave, Vector256<float> noData)
    {
        (Vector256<double> a0, Vector256<long> va0, Vector256<double> a1, Vector256<long> va1) = Split(Vector256.LoadUnsafe(ref ra, at), deinterleave, noData);
        (Vector256<double> b0, Vector256<long> vb0, Vector256<double> b1, Vector256<long> vb1) = Split(Vector256.LoadUnsafe(ref rb, at), deinterleave, noData);
        return ((((Vector256<double>.Zero + a0) + a1) + b0) + b1, -(va0 + va1 + vb0 + vb1));
    }

    /// <summary>8 floats as the first and second samples of 4 blocks, in doubles (+0 where invalid), with validity masks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> First, Vector256<long> FirstValid, Vector256<double> Second, Vector256<long> SecondValid) Split(
        Vector256<float> v, Vector256<int> deinterleave, Vector256<float> noData)
    {
        Vector256<float> split = Vector256.Shuffle(v, deinterleave);
        Vector256<int> valid = (Vector256.Equals(split, split) & ~Vector256.Equals(split, noData)).AsInt32();
        Vector256<float> kept = split & valid.AsSingle();
        return (Vector256.WidenLower(kept), Vector256.WidenLower(valid), Vector256.WidenUpper(kept), Vector256.WidenUpper(valid));
    }

    public bool IsConstant(ReadOnlySpan<float> source, int stride, out ulong key)
    {
        // By bits: NaN (nodata in some grids) equals itself.
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(source);
        key = bits[0];
        return TileValues.AllEqual(bits, stride);
    }
}

/// <summary>Byte samples; averages round to nearest, as GDAL's AVERAGE does for integers.</summary>
internal sealed class ByteSamples(byte? noData) : ICogSamples<byte>
{
    public byte Fill { get; } = noData ?? 0;

    public int BitsPerSample => 8;

    public int SampleFormat => 1;

    public void Reduce(ReadOnlySpan<byte> source, int width, int rows, Span<byte> target, int targetWidth)
    {
        int pairs = width / 2;
        for (int tr = 0; tr < (rows + 1) / 2; tr++)
        {
            ReadOnlySpan<byte> a = source.Slice(2 * tr * width, width);
            bool twoRows = (2 * tr) + 1 < rows;
            ReadOnlySpan<byte> b = twoRows ? source.Slice(((2 * tr) + 1) * width, width) : a;
            Span<byte> t = target.Slice(tr * targetWidth, targetWidth);
            int c = 0;
            if (noData is null && twoRows)
            {
                // The common case (coverage fractions): four cells, no nodata, rounded.
                c = ReduceFullBlocks(a, b, t, pairs);
                for (; c < pairs; c++)
                {
                    t[c] = (byte)((a[2 * c] + a[(2 * c) + 1] + b[2 * c] + b[(2 * c) + 1] + 2) >> 2);
                }
            }

            int nd = noData ?? -1;
            for (; c < targetWidth; c++)
            {
                int c0 = 2 * c;
                int sum = 0;
                int n = 0;
                for (int k = 0; k < 4; k++)
                {
                    int column = c0 + (k & 1);
                    bool present = column < width && ((k & 2) == 0 || twoRows);
                    int v = present ? ((k & 2) == 0 ? a[column] : b[column]) : nd;
                    if (present && v != nd)
                    {
                        sum += v;
                        n++;
                    }
                }

                t[c] = n == 0 ? Fill : (byte)((sum + (n / 2)) / n);
            }
        }
    }

    /// <summary>Rounded averages of the 2×2 blocks of two full rows without nodata, 16 at a time; returns the first block left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReduceFullBlocks(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> t, int pairs)
    {
        if (!Vector128.IsHardwareAccelerated)
        {
            return 0;
        }

        // Two bytes as one 16-bit lane: its low and high bytes are the two columns of a block.
        Vector128<ushort> low = Vector128.Create((ushort)0xFF);
        Vector128<ushort> two = Vector128.Create((ushort)2);
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        ref byte rt = ref MemoryMarshal.GetReference(t);
        int c = 0;
        for (; c + 16 <= pairs; c += 16)
        {
            nuint at = (nuint)(2 * c);
            Vector128<ushort> first = BlockSums(Vector128.LoadUnsafe(ref ra, at).AsUInt16(), Vector128.LoadUnsafe(ref rb, at).AsUInt16(), low, two);
            Vector128<ushort> second = BlockSums(Vector128.LoadUnsafe(ref ra, at + 16).AsUInt16(), Vector128.LoadUnsafe(ref rb, at + 16).AsUInt16(), low, two);
            Vector128.Narrow(Vector128.ShiftRightLogical(first, 2), Vector128.ShiftRightLogical(second, 2)).StoreUnsafe(ref rt, (nuint)c);
        }

        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> BlockSums(Vector128<ushort> a, Vector128<ushort> b, Vector128<ushort> low, Vector128<ushort> two) =>
        (a & low) + Vector128.ShiftRightLogical(a, 8) + (b & low) + Vector128.ShiftRightLogical(b, 8) + two;

    public bool IsConstant(ReadOnlySpan<byte> source, int stride, out ulong key)
    {
        key = source[0];
        return TileValues.AllEqual(source, stride);
    }
}

/// <summary>Checks over one tile read in place.</summary>
internal static class TileValues
{
    /// <summary>
    /// True when the tile's <see cref="PyramidLevel{T}.TileSize"/> rows of as many values, <paramref name="stride"/>
    /// values apart in <paramref name="source"/>, all equal its first value.
    /// </summary>
    internal static bool AllEqual<T>(ReadOnlySpan<T> source, int stride)
        where T : unmanaged, IEquatable<T>
    {
        const int side = PyramidLevel<byte>.TileSize;
        for (int r = 0; r < side; r++)
        {
            if (source.Slice(r * stride, side).IndexOfAnyExcept(source[0]) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
