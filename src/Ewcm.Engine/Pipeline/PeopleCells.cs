using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Ewcm.Engine.Pipeline;

/// <summary>
/// The population raster's cells turned into people, eight at a time: nodata (NaN or the declared value)
/// becomes NaN, densities are multiplied by the cell's area in double as the scalar path does, so the
/// values are bit for bit the same. On 400 M cells the scalar loop cost about 0.6 s of CPU.
/// </summary>
internal static class PeopleCells
{
    /// <summary>
    /// Cleans the row from its start, whole vectors only, and stops before the first vector holding a value
    /// that is not people (negative or infinite), which the caller's scalar loop then reports with its
    /// column. Returns how many cells were cleaned; <paramref name="valid"/> counts the valid ones among them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int CleanVectors(Span<float> row, float? noData, double? cellAreaKm2, out long valid)
    {
        valid = 0;
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref float cells = ref MemoryMarshal.GetReference(row);
        Vector256<float> declared = Vector256.Create(noData ?? float.NaN); // NaN equals nothing
        Vector256<float> nan = Vector256.Create(float.NaN);
        Vector256<float> infinity = Vector256.Create(float.PositiveInfinity);
        Vector256<double> area = Vector256.Create(cellAreaKm2 ?? 1);
        int i = 0;
        for (; i <= row.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref cells, (nuint)i);
            Vector256<float> missing = ~Vector256.Equals(v, v) | Vector256.Equals(v, declared);
            Vector256<float> bad = (Vector256.LessThan(v, Vector256<float>.Zero) | Vector256.Equals(v, infinity)) & ~missing;
            if (bad != Vector256<float>.Zero)
            {
                break;
            }

            if (cellAreaKm2 is not null)
            {
                (Vector256<double> low, Vector256<double> high) = Vector256.Widen(v);
                v = Vector256.Narrow(low * area, high * area);
            }

            Vector256.ConditionalSelect(missing, nan, v).StoreUnsafe(ref cells, (nuint)i);
            valid += Vector256<float>.Count - BitOperations.PopCount(missing.ExtractMostSignificantBits());
        }

        return i;
    }
}
