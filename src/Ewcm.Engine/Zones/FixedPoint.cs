namespace Ewcm.Engine.Zones;

/// <summary>
/// People in fixed point, as <see cref="Overlay.BandResult"/> sums them (multiples of 2^-64): sums do not
/// depend on their order, so zone totals are the same whatever the band height and thread count.
/// </summary>
internal static class FixedPoint
{
    private const double Scale = 18446744073709551616.0; // 2^64

    public static Int128 From(double people) => (Int128)Math.Round(people * Scale);

    public static double ToDouble(Int128 value) => (double)value / Scale;
}
