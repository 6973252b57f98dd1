using Ewcm.Engine.Outputs.Cog;

namespace Ewcm.Engine.Tests.Gdal;

/// <summary>
/// The overviews' 2×2 averages (vectorized where the hardware allows) against a plain oracle, bit for bit,
/// on rows holding every awkward value: NaN, nodata, negative zero, tiny and huge numbers, odd widths.
/// </summary>
public class CogSamplesTests
{
    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(2, 17, 3, true)]
    [InlineData(3, 64, 4, false)]
    [InlineData(4, 1001, 5, true)]
    [InlineData(5, 1030, 2, false)]
    public void Float_averages_match_the_oracle_bit_for_bit(int seed, int width, int rows, bool withNoData)
    {
        const float nd = -99999f;
        var random = new Random(seed);
        float[] pool = [float.NaN, nd, -0f, 0f, float.Epsilon, 1e-30f, 3.4e38f, 1f, 0.1f, 12345.678f];
        var source = new float[width * rows];
        for (int i = 0; i < source.Length; i++)
        {
            // Runs of one kind, so that whole blocks are invalid, zero or mixed.
            source[i] = random.Next(3) == 0 ? pool[random.Next(pool.Length)] : (float)(random.NextDouble() * 1000);
        }

        int targetWidth = (width + 1) / 2;
        var actual = new float[targetWidth * ((rows + 1) / 2)];
        new FloatSamples(withNoData ? nd : null).Reduce(source, width, rows, actual, targetWidth);

        float fill = withNoData ? nd : float.NaN;
        for (int tr = 0; tr < (rows + 1) / 2; tr++)
        {
            for (int c = 0; c < targetWidth; c++)
            {
                double sum = 0;
                int n = 0;
                for (int dr = 0; dr < 2; dr++)
                {
                    for (int dc = 0; dc < 2; dc++)
                    {
                        int r = (2 * tr) + dr, col = (2 * c) + dc;
                        if (r < rows && col < width)
                        {
                            float v = source[(r * width) + col];
                            if (!float.IsNaN(v) && !(withNoData && v == nd))
                            {
                                sum += v;
                                n++;
                            }
                        }
                    }
                }

                float expected = n == 0 ? fill : (float)(sum / n);
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual[(tr * targetWidth) + c]),
                    $"block ({tr}, {c}): expected {expected:R}, got {actual[(tr * targetWidth) + c]:R}");
            }
        }
    }

    [Theory]
    [InlineData(1, 33, 2)]
    [InlineData(2, 64, 3)]
    [InlineData(3, 1030, 4)]
    public void Byte_averages_round_to_nearest(int seed, int width, int rows)
    {
        var random = new Random(seed);
        var source = new byte[width * rows];
        random.NextBytes(source);
        int targetWidth = (width + 1) / 2;
        var actual = new byte[targetWidth * ((rows + 1) / 2)];
        new ByteSamples(null).Reduce(source, width, rows, actual, targetWidth);
        for (int tr = 0; tr < (rows + 1) / 2; tr++)
        {
            for (int c = 0; c < targetWidth; c++)
            {
                int sum = 0, n = 0;
                for (int dr = 0; dr < 2; dr++)
                {
                    for (int dc = 0; dc < 2; dc++)
                    {
                        int r = (2 * tr) + dr, col = (2 * c) + dc;
                        if (r < rows && col < width)
                        {
                            sum += source[(r * width) + col];
                            n++;
                        }
                    }
                }

                Assert.Equal((sum + (n / 2)) / n, actual[(tr * targetWidth) + c]);
            }
        }
    }
}
