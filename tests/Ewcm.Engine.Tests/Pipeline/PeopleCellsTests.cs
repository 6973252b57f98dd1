using Ewcm.Engine.Pipeline;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>The vectorized cleaning of population rows gives the scalar rule's values bit for bit.</summary>
public class PeopleCellsTests
{
    private const float Sentinel = -99999f;

    private static float[] Row(int length, int seed)
    {
        var rng = new Random(seed);
        var row = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u = rng.NextDouble();
            row[i] = u < 0.1 ? float.NaN : u < 0.2 ? Sentinel : u < 0.3 ? 0f : u < 0.35 ? -0f : (float)Math.Exp((rng.NextDouble() * 20) - 8);
        }

        return row;
    }

    /// <summary>The scalar rule of <see cref="PopulationGrid.Reader.ReadBand"/>.</summary>
    private static (float[] Cells, long Valid) Scalar(float[] row, float? noData, double? area)
    {
        float[] cells = [.. row];
        long valid = 0;
        for (int c = 0; c < cells.Length; c++)
        {
            float v = cells[c];
            if (float.IsNaN(v) || (noData is float nd && v == nd))
            {
                cells[c] = float.NaN;
                continue;
            }

            valid++;
            if (area is double a)
            {
                cells[c] = (float)(v * a);
            }
        }

        return (cells, valid);
    }

    [Theory]
    [InlineData(64, null)]
    [InlineData(67, null)]
    [InlineData(67, 0.0086)]
    [InlineData(1003, 3.1e-5)]
    public void Counts_and_densities_match_the_scalar_rule_bit_for_bit(int length, double? area)
    {
        float[] row = Row(length, length);
        (float[] expected, long expectedValid) = Scalar(row, Sentinel, area);

        int done = PeopleCells.CleanVectors(row, Sentinel, area, out long valid);
        (float[] tail, long tailValid) = Scalar(row[done..], Sentinel, area);

        Assert.Equal(length - (length % 8), done);
        Assert.Equal(expectedValid, valid + tailValid);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), row[..done].Concat(tail).Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(Sentinel)]
    public void A_value_that_is_not_people_stops_the_vectors_before_its_own(float bad)
    {
        float[] row = [.. Enumerable.Range(1, 40).Select(i => i * 0.5f)];
        row[3] = float.NaN;
        row[21] = bad;

        int done = PeopleCells.CleanVectors(row, noData: null, null, out long valid);

        Assert.Equal(16, done);
        Assert.Equal(15, valid); // the vector of columns 16-23 is left to the scalar loop, which names column 21
        Assert.Equal(bad, row[21]);
    }
}
