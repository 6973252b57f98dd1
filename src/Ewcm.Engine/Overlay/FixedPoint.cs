namespace Ewcm.Engine.Overlay;

/// <summary>
/// People in fixed point (multiples of 2^-64 in 128-bit integers), the one representation every sum of
/// people uses (<see cref="BandResult"/>, the blank zones): each addend is rounded once, on its own, and
/// integer sums do not depend on their order, so totals are the same whatever the band height and
/// thread count, and zone totals add up to the national figures bit for bit.
/// </summary>
internal static class FixedPoint
{
    private const double Scale = 18446744073709551616.0; // 2^64

    public static Int128 From(double people) => (Int128)Math.Round(people * Scale);

    public static double ToDouble(Int128 value) => (double)value / Scale;
}
