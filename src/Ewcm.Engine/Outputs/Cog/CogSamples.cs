using System.Runtime.InteropServices;

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

    /// <summary>True when every value has the same bits; <paramref name="key"/> identifies them.</summary>
    bool IsConstant(ReadOnlySpan<T> tile, out ulong key);
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
            for (int c = 0; c < targetWidth; c++)
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

    public bool IsConstant(ReadOnlySpan<float> tile, out ulong key)
    {
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(tile);
        key = bits[0];
        return bits.IndexOfAnyExcept(bits[0]) < 0;
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

    public bool IsConstant(ReadOnlySpan<byte> tile, out ulong key)
    {
        key = tile[0];
        return tile.IndexOfAnyExcept(tile[0]) < 0;
    }
}
