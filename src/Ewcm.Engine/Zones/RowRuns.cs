using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Finds the runs of cells of one row that meet a condition, 64 cells at a time: vector compares give a
/// bit mask of the 64 cells and only the mask's transitions are visited. A per-cell loop mispredicts a
/// branch at every run edge, which fragmented rural rows (runs of a few cells) have every few cells.
/// </summary>
internal static class RowRuns
{
    private const int Word = 64;

    /// <summary>
    /// Appends the runs of zone cells (value &gt; <paramref name="above"/> and ≥ <paramref name="atLeast"/>)
    /// of <paramref name="values"/> to <paramref name="output"/>; returns, in fixed point, the sum of the
    /// other non-zero cells (those too sparse to join a zone, or negative).
    /// </summary>
    public static Int128 Zone(ReadOnlySpan<double> values, double above, double atLeast, int row, List<CellRun> output)
    {
        ref double first = ref MemoryMarshal.GetReference(values);
        var vAbove = Vector256.Create(above);
        var vAtLeast = Vector256.Create(atLeast);
        var state = new RunState(row, output);
        Int128 other = 0;
        for (int b = 0; b < values.Length; b += Word)
        {
            int length = Math.Min(Word, values.Length - b);
            ulong zone = 0, nonZero = 0;
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 4 <= length; i += 4)
                {
                    Vector256<double> x = Vector256.LoadUnsafe(ref first, (nuint)(b + i));
                    zone |= (ulong)(Vector256.GreaterThan(x, vAbove) & Vector256.GreaterThanOrEqual(x, vAtLeast)).ExtractMostSignificantBits() << i;
                    nonZero |= (ulong)(~Vector256.Equals(x, Vector256<double>.Zero)).ExtractMostSignificantBits() << i;
                }
            }

            for (; i < length; i++)
            {
                double v = values[b + i];
                zone |= (v > above && v >= atLeast ? 1UL : 0) << i;
                nonZero |= (v != 0 ? 1UL : 0) << i;
            }

            for (ulong rest = nonZero & ~zone; rest != 0; rest &= rest - 1)
            {
                other += FixedPoint.From(values[b + BitOperations.TrailingZeroCount(rest)]);
            }

            state.Take(zone, b, length);
        }

        state.Finish(values.Length);
        return other;
    }

    /// <summary>Appends the runs of cells with a value &gt; 0 (covered by anything) to <paramref name="output"/>.</summary>
    public static void Positive(ReadOnlySpan<float> values, int row, List<CellRun> output)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        var state = new RunState(row, output);
        for (int b = 0; b < values.Length; b += Word)
        {
            int length = Math.Min(Word, values.Length - b);
            ulong mask = 0;
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= length; i += 8)
                {
                    Vector256<float> x = Vector256.LoadUnsafe(ref first, (nuint)(b + i));
                    mask |= (ulong)Vector256.GreaterThan(x, Vector256<float>.Zero).ExtractMostSignificantBits() << i;
                }
            }

            for (; i < length; i++)
            {
                mask |= (values[b + i] > 0 ? 1UL : 0) << i;
            }

            state.Take(mask, b, length);
        }

        state.Finish(values.Length);
    }

    /// <summary>The run open at the end of the last word, carried into the next.</summary>
    private struct RunState(int row, List<CellRun> output)
    {
        private bool _inRun;
        private int _start;

        /// <summary>Visits the transitions of <paramref name="mask"/>: bits of cells <paramref name="column"/> onward.</summary>
        public void Take(ulong mask, int column, int length)
        {
            ulong valid = length == Word ? ulong.MaxValue : (1UL << length) - 1;
            ulong previous = (mask << 1) | (_inRun ? 1UL : 0); // bit i: the state of cell i − 1
            for (ulong change = (mask ^ previous) & valid; change != 0; change &= change - 1)
            {
                int i = BitOperations.TrailingZeroCount(change);
                if (((mask >> i) & 1) != 0)
                {
                    _start = column + i;
                }
                else
                {
                    output.Add(new CellRun(row, _start, column + i, -1));
                }
            }

            _inRun = ((mask >> (length - 1)) & 1) != 0;
        }

        public readonly void Finish(int columns)
        {
            if (_inRun)
            {
                output.Add(new CellRun(row, _start, columns, -1));
            }
        }
    }
}
