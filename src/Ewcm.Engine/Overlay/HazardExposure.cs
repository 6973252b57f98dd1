using System.Runtime.CompilerServices;
using Ewcm.Engine.Coverage;

namespace Ewcm.Engine.Overlay;

/// <summary>
/// The hazard part of the overlay kernel for one band: people exposed to each hazard, and exposed and
/// outside every coverage layer, per admin unit, nationally and per cell. One instance per thread.
/// </summary>
/// <remarks>
/// <para>
/// A hazard H is handled like a coverage mask: its parts are rasterized with exact fractions and united
/// cell by cell (<see cref="CoverageUnion"/>). Per row that holds some of H, two exact per-cell
/// fractions are formed: area(cell ∩ H) and area(cell ∩ H ∖ C), where C is "covered by anything"
/// (mask 0), as area(H) − area(H ∩ C). Where H and C are both partial, area(H ∩ C) comes from their
/// boundaries in the cell (<see cref="CellOverlay"/>); otherwise the fractions combine directly.
/// Their population-weighted prefix sums give a run of whole admin cells in two reads.
/// </para>
/// <para>
/// In a cell where an admin unit is partial too, fractions do not multiply: the unit's exposed people are
/// pop × area(cell ∩ unit ∩ H) and its exposed unreachable people pop × (area(cell ∩ unit ∩ H) −
/// area(cell ∩ unit ∩ H ∩ C)), each an intersection of two or three groups computed exactly.
/// </para>
/// </remarks>
internal sealed class HazardExposure
{
    private readonly OverlayModel _model;
    private readonly CellOverlay _overlay;
    private readonly CoverageUnion _union;
    private readonly int _columns;
    private readonly BandCoverage[] _buffers;   // per hazard: its union in this band
    private readonly BandCoverage?[] _hazards;  // per hazard: its coverage in this band, or null
    private readonly bool[] _active;            // per hazard: holds cells in the current row
    private readonly double[][] _fraction;      // per hazard, per cell: area(cell ∩ H)
    private readonly double[][] _uncovered;     // per hazard, per cell: area(cell ∩ H ∖ C)
    private readonly int[][] _span;             // per hazard, per cell: H's partial span there, or -1
    private readonly double[][] _prefixExposed; // per hazard: prefix sums of pop × _fraction
    private readonly double[][] _prefixUncovered;
    private readonly double[] _coveredFraction; // per cell: area(cell ∩ C)
    private readonly int[] _coveredSpan;        // per cell: C's partial span there, or -1
    private readonly List<BandCoverage> _inputs = [];
    private BandCoverage? _covered;
    private bool _anyActive;

    public HazardExposure(OverlayModel model, CellOverlay overlay)
    {
        _model = model;
        _overlay = overlay;
        _union = new CoverageUnion(overlay);
        _columns = model.Grid.Columns;
        int n = model.Hazards.Count;
        _buffers = [.. Enumerable.Range(0, n).Select(_ => new BandCoverage())];
        _hazards = new BandCoverage?[n];
        _active = new bool[n];
        _fraction = NewArrays(n, _columns);
        _uncovered = NewArrays(n, _columns);
        _span = [.. Enumerable.Range(0, n).Select(_ => new int[_columns])];
        _prefixExposed = NewArrays(n, _columns + 1);
        _prefixUncovered = NewArrays(n, _columns + 1);
        _coveredFraction = n > 0 ? new double[_columns] : [];
        _coveredSpan = n > 0 ? new int[_columns] : [];
    }

    /// <summary>Number of hazards.</summary>
    public int Count => _hazards.Length;

    /// <summary>Unites each hazard's parts rasterized in this band (<paramref name="coverage"/>, per geometry).</summary>
    public void BuildBand(BandCoverage?[] coverage)
    {
        for (int h = 0; h < _hazards.Length; h++)
        {
            _inputs.Clear();
            for (int i = 0; i < _model.Hazards[h].Parts.Count; i++)
            {
                if (coverage[_model.HazardGeometryIndex(h, i)] is { } part)
                {
                    _inputs.Add(part);
                }
            }

            switch (_inputs.Count)
            {
                case 0:
                    _hazards[h] = null;
                    break;
                case 1:
                    _hazards[h] = _inputs[0];
                    break;
                default:
                    _union.Build(_inputs, _buffers[h]);
                    _hazards[h] = _buffers[h];
                    break;
            }
        }
    }

    /// <summary>
    /// Forms the per-cell fractions and prefix sums of band row <paramref name="bandRow"/> and adds its
    /// national sums; <paramref name="covered"/> is "covered by anything" in this band (or null).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PrepareRow(int bandRow, ReadOnlySpan<float> pop, BandCoverage? covered, BandResult result)
    {
        _anyActive = false;
        for (int h = 0; h < _hazards.Length; h++)
        {
            BandCoverage? hz = _hazards[h];
            _active[h] = hz is not null && hz.RowOffsets[bandRow] < hz.RowOffsets[bandRow + 1];
            _anyActive |= _active[h];
        }

        if (!_anyActive)
        {
            return;
        }

        _covered = covered;
        Dense(covered, bandRow, _coveredFraction, _coveredSpan);
        for (int h = 0; h < _hazards.Length; h++)
        {
            if (!_active[h])
            {
                continue;
            }

            BandCoverage hz = _hazards[h]!;
            double[] f = _fraction[h], u = _uncovered[h];
            int[] span = _span[h];
            Dense(hz, bandRow, f, span);
            double[] pe = _prefixExposed[h], pu = _prefixUncovered[h];
            double se = 0, su = 0;
            pe[0] = 0;
            pu[0] = 0;
            for (int c = 0; c < _columns; c++)
            {
                float p = pop[c];
                double fc = f[c];
                double uc = 0;
                if (fc > 0 && !float.IsNaN(p) && p != 0)
                {
                    uc = UncoveredFraction(hz, span[c], fc, c);
                    se += p * fc;
                    su += p * uc;
                }

                u[c] = uc;
                pe[c + 1] = se;
                pu[c + 1] = su;
            }

            result.AddNationalHazard(h, se, su);
        }
    }

    /// <summary>
    /// Writes, for hazard <paramref name="hazard"/>, the people of each cell of the prepared row exposed
    /// and outside every coverage layer (<see cref="BandProcessor.OutputNoData"/> where the population is nodata).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteRow(int hazard, ReadOnlySpan<float> pop, Span<float> dst)
    {
        double[] u = _uncovered[hazard];
        bool active = _active[hazard];
        for (int c = 0; c < _columns; c++)
        {
            float p = pop[c];
            dst[c] = float.IsNaN(p) ? BandProcessor.OutputNoData : active ? (float)(p * u[c]) : 0f;
        }
    }

    /// <summary>Adds the prepared row's exposed people to the units of one level, given its disjoint pieces.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(List<AdminPiece> pieces, BandCoverage?[] coverage, int unitOffset, int level,
        ReadOnlySpan<float> pop, BandResult result)
    {
        if (!_anyActive)
        {
            return;
        }

        for (int h = 0; h < _hazards.Length; h++)
        {
            if (!_active[h])
            {
                continue;
            }

            double[] pe = _prefixExposed[h], pu = _prefixUncovered[h], f = _fraction[h];
            int index = result.HazardIndex(h);
            foreach (AdminPiece p in pieces)
            {
                double exposed, unreachable;
                if (p.Fraction >= 1)
                {
                    exposed = (pe[p.End] - pe[p.Start]) * p.Scale;
                    unreachable = (pu[p.End] - pu[p.Start]) * p.Scale;
                }
                else
                {
                    // A partial piece is a single cell.
                    int c = p.Start;
                    float people = pop[c];
                    if (f[c] == 0 || float.IsNaN(people) || people == 0)
                    {
                        continue;
                    }

                    (double inHazard, double inHazardUncovered) = UnitAreas(coverage[unitOffset + p.Unit]!, p, h, c);
                    exposed = people * inHazard * p.Scale;
                    unreachable = people * inHazardUncovered * p.Scale;
                }

                if (exposed != 0)
                {
                    int at = p.Unit * result.Stride;
                    result.AddToUnit(level, at + index, exposed);
                    result.AddToUnit(level, at + index + 1, unreachable);
                }
            }
        }
    }

    /// <summary>area(cell ∩ unit ∩ H) and area(cell ∩ unit ∩ H ∖ C) where the unit is partial in cell c.</summary>
    private (double InHazard, double Uncovered) UnitAreas(BandCoverage unit, AdminPiece p, int h, int c)
    {
        double fh = _fraction[h][c];
        double inHazard;
        if (fh >= 1)
        {
            inHazard = p.Fraction;
        }
        else
        {
            _overlay.Clear();
            AddParts(unit, p.Span, 0);
            AddParts(_hazards[h]!, _span[h][c], 1);
            inHazard = _overlay.Area();
        }

        double fc = _coveredFraction[c];
        if (fc <= 0)
        {
            return (inHazard, inHazard);
        }

        if (fc >= 1)
        {
            return (inHazard, 0);
        }

        _overlay.Clear();
        AddParts(unit, p.Span, 0);
        AddParts(_covered!, _coveredSpan[c], 1);
        if (fh < 1)
        {
            AddParts(_hazards[h]!, _span[h][c], 2);
        }

        return (inHazard, Math.Max(0, inHazard - _overlay.Area()));
    }

    /// <summary>area(cell ∩ H ∖ C) for a cell where H covers <paramref name="fh"/> &gt; 0.</summary>
    private double UncoveredFraction(BandCoverage hz, int hSpan, double fh, int c)
    {
        double fc = _coveredFraction[c];
        if (fc <= 0)
        {
            return fh;
        }

        if (fc >= 1)
        {
            return 0;
        }

        if (fh >= 1)
        {
            return 1 - fc;
        }

        _overlay.Clear();
        AddParts(hz, hSpan, 0);
        AddParts(_covered!, _coveredSpan[c], 1);
        return Math.Max(0, fh - _overlay.Area());
    }

    private void AddParts(BandCoverage coverage, int span, int group)
    {
        foreach (PartialCell part in coverage.PartsOf(span))
        {
            _overlay.Add(part, group);
        }
    }

    /// <summary>Writes a coverage's row densely: fractions, and the span of each partial cell (-1 elsewhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dense(BandCoverage? cov, int bandRow, double[] fraction, int[] span)
    {
        Array.Clear(fraction);
        Array.Fill(span, -1);
        if (cov is null)
        {
            return;
        }

        ReadOnlySpan<int> start = cov.Start, end = cov.End;
        ReadOnlySpan<double> value = cov.Value;
        for (int k = cov.RowOffsets[bandRow]; k < cov.RowOffsets[bandRow + 1]; k++)
        {
            fraction.AsSpan(start[k], end[k] - start[k]).Fill(value[k]);
            if (value[k] < 1)
            {
                span[start[k]] = k;
            }
        }
    }

    private static double[][] NewArrays(int count, int length) => [.. Enumerable.Range(0, count).Select(_ => new double[length])];
}
