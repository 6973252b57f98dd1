using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ewcm.Engine.Coverage;

namespace Ewcm.Engine.Overlay;

/// <summary>
/// The overlay kernel for one band of rows: population × exact admin fractions × exact coverage
/// fractions → per-unit sums, national sums and the dense output rows. One instance per thread.
/// </summary>
/// <remarks>
/// Per band, every admin unit and coverage atom crossing it is rasterized (<see cref="BandRasterizer"/>)
/// and the masks are built as unions of atoms (<see cref="CoverageUnion"/>). Per row the population is
/// prefix-summed once; every run of whole cells then costs two reads, whatever its length, so the cost
/// per row follows the number of coverage and admin spans, not the number of cells. In cells where an
/// admin fraction and a coverage fraction are both partial, the fractions do not multiply: the area of
/// cell ∩ unit ∩ mask is computed from their boundaries in that cell (<see cref="CellOverlay"/>).
/// The per-band loops here and in Coverage are marked AggressiveOptimization: each runs only once per
/// band, so with tiered compilation a run of a few seconds would spend much of it in unoptimized code.
/// </remarks>
public sealed class BandProcessor
{
    /// <summary>Value written to the uncovered-population output where the population is nodata.</summary>
    public const float OutputNoData = -99999f;

    private readonly OverlayModel _model;
    private readonly EdgeBuckets _edges;
    private readonly BandRasterizer _rasterizer;
    private readonly CellOverlay _overlay = new();
    private readonly CoverageUnion _union;
    private readonly double[] _prefix;
    private readonly BandCoverage?[] _geometryBuffers; // per geometry, reused from band to band
    private readonly BandCoverage?[] _coverage;        // per geometry: its coverage in this band, or null
    private readonly BandCoverage[] _maskBuffers;
    private readonly BandCoverage?[] _masks;           // per mask: its coverage in this band, or null
    private readonly List<BandCoverage> _unionInputs = [];
    private readonly AdminRowPieces _pieces = new();
    private readonly HazardExposure _hazards;
    private readonly int _columns;
    private long _exactCells;
    private BandUnitSpans? _finestUnits;

    /// <summary>Creates a kernel for <paramref name="model"/>, whose geometries are bucketed in <paramref name="edges"/>.</summary>
    public BandProcessor(OverlayModel model, EdgeBuckets edges)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(edges);
        _model = model;
        _edges = edges;
        _columns = model.Grid.Columns;
        _rasterizer = new BandRasterizer(_columns);
        _union = new CoverageUnion(_overlay);
        _prefix = new double[_columns + 1];
        _geometryBuffers = new BandCoverage?[edges.GeometryCount];
        _coverage = new BandCoverage?[edges.GeometryCount];
        _maskBuffers = [.. model.Masks.Select(_ => new BandCoverage())];
        _masks = new BandCoverage?[model.Masks.Count];
        _hazards = new HazardExposure(model, _overlay);
    }

    /// <summary>
    /// Processes band <paramref name="band"/>. <paramref name="population"/> holds its rows (people per
    /// cell, NaN where there is no data). When given, <paramref name="uncovered"/> receives people
    /// outside every coverage layer, and <paramref name="levelFractions"/>[t] the covered fraction of
    /// each cell for level t. When given, <paramref name="hazardUncovered"/>[h] (one array per hazard of
    /// the model, at least as long as the band) receives the people of each cell exposed to hazard h and
    /// outside every coverage layer: pop × area(cell ∩ H ∖ covered), <see cref="OutputNoData"/> where the
    /// population is nodata. When given, <paramref name="finestUnits"/> receives, row by row, the units of
    /// the finest admin level present in each cell (for naming the blank zones' units). When given,
    /// <paramref name="levelBytes"/> receives the same fractions as <paramref name="levelFractions"/>,
    /// quantized to bytes (for the coverage rasters).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BandResult Process(int band, ReadOnlySpan<float> population, Span<float> uncovered, float[][]? levelFractions,
        float[][]? hazardUncovered = null, BandUnitSpans? finestUnits = null, QuantizedLevels? levelBytes = null)
    {
        int row0 = band * _edges.BandHeight;
        int rows = Math.Min(_edges.BandHeight, _model.Grid.Rows - row0);
        int levelCount = _model.Levels.Count;
        int maskCount = _model.Masks.Count;
        var result = BandResult.For(_model);
        RasterizeBand(band, row0, rows);
        BuildMasks();
        _hazards.BuildBand(_coverage);
        _exactCells = 0;
        _pieces.ResetDiagnostics();
        _finestUnits = finestUnits;
        finestUnits?.Clear();

        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> pop = population.Slice(r * _columns, _columns);
            double rowTotal = PrefixSum(pop, out long valid);
            result.AddValidPopulation(rowTotal);
            result.ValidCells += valid;

            for (int m = 0; m < maskCount; m++)
            {
                result.AddNationalCovered(m, SumCovered(_masks[m], r));
            }

            if (!uncovered.IsEmpty)
            {
                WriteUncovered(pop, r, uncovered.Slice(r * _columns, _columns));
            }

            if (_hazards.Count > 0)
            {
                _hazards.PrepareRow(r, pop, _masks[0], result);
                for (int h = 0; hazardUncovered is not null && h < _hazards.Count; h++)
                {
                    _hazards.WriteRow(h, pop, hazardUncovered[h].AsSpan(r * _columns, _columns));
                }
            }

            if (levelFractions is not null)
            {
                for (int t = 0; t < levelFractions.Length; t++)
                {
                    Span<float> dst = levelFractions[t].AsSpan(r * _columns, _columns);
                    if (_masks[t] is { } mask)
                    {
                        mask.FillRow(r, dst);
                    }
                    else
                    {
                        dst.Clear();
                    }
                }
            }

            if (levelBytes is not null)
            {
                for (int t = 0; t < levelBytes.Rows.Length; t++)
                {
                    Span<byte> dst = levelBytes.Rows[t].Span.Slice(r * _columns, _columns);
                    if (_masks[t] is { } mask)
                    {
                        mask.FillRow(r, dst, levelBytes.Quantum);
                    }
                    else
                    {
                        dst.Clear();
                    }
                }
            }

            for (int l = 0; l < levelCount; l++)
            {
                result.AddOutsideAdmin(l, AccumulateLevel(l, r, pop, rowTotal, result));
            }

            finestUnits?.EndRow();
        }

        result.ExactCells = _exactCells;
        result.OverlapCells = _pieces.OverlapCells;
        result.Publish();
        return result;
    }

    private void RasterizeBand(int band, int row0, int rows)
    {
        Array.Clear(_coverage);
        ReadOnlySpan<int> ids = _edges.GeometriesIn(band);
        for (int i = 0; i < ids.Length; i++)
        {
            BandCoverage coverage = _geometryBuffers[ids[i]] ??= new BandCoverage();
            _rasterizer.Rasterize(_edges.SegmentsOf(band, i), row0, rows, coverage);
            _coverage[ids[i]] = coverage.SpanCount > 0 ? coverage : null;
        }
    }

    /// <summary>Each mask is the union of its atoms and earlier masks; a single input is used as it is.</summary>
    private void BuildMasks()
    {
        foreach (int m in _model.MaskOrder)
        {
            MaskInput input = _model.MaskInputs[m];
            _unionInputs.Clear();
            foreach (int a in input.Atoms)
            {
                if (_coverage[_model.AtomGeometryIndex(a)] is { } atom)
                {
                    _unionInputs.Add(atom);
                }
            }

            foreach (int j in input.Masks)
            {
                if (_masks[j] is { } mask)
                {
                    _unionInputs.Add(mask);
                }
            }

            switch (_unionInputs.Count)
            {
                case 0:
                    _masks[m] = null;
                    break;
                case 1:
                    _masks[m] = _unionInputs[0];
                    break;
                default:
                    _union.Build(_unionInputs, _maskBuffers[m]);
                    _masks[m] = _maskBuffers[m];
                    break;
            }
        }
    }

    /// <summary>Prefix sums of the row in double (nodata as 0); returns the row total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double PrefixSum(ReadOnlySpan<float> pop, out long valid)
    {
        double s = 0;
        long n = 0;
        _prefix[0] = 0;
        for (int c = 0; c < pop.Length; c++)
        {
            float v = pop[c];
            if (!float.IsNaN(v))
            {
                s += v;
                n++;
            }

            _prefix[c + 1] = s;
        }

        valid = n;
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double SumCovered(BandCoverage? cov, int bandRow)
    {
        if (cov is null)
        {
            return 0;
        }

        ReadOnlySpan<int> start = cov.Start, end = cov.End;
        ReadOnlySpan<double> value = cov.Value;
        double s = 0;
        for (int k = cov.RowOffsets[bandRow]; k < cov.RowOffsets[bandRow + 1]; k++)
        {
            s += (_prefix[end[k]] - _prefix[start[k]]) * value[k];
        }

        return s;
    }

    /// <summary>
    /// Uncovered people per cell of a row, in one pass: the people (nodata as <see cref="OutputNoData"/>)
    /// between the spans of "covered by anything", and people × (1 − fraction) in them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteUncovered(ReadOnlySpan<float> pop, int bandRow, Span<float> dst)
    {
        // Mask 0 is "at least the lowest level" over all operators: covered by anything.
        int column = 0;
        if (_masks[0] is { } any)
        {
            ReadOnlySpan<int> start = any.Start, end = any.End;
            ReadOnlySpan<double> value = any.Value;
            for (int k = any.RowOffsets[bandRow]; k < any.RowOffsets[bandRow + 1]; k++)
            {
                ScaleKeepingNoData(pop[column..start[k]], 1, dst[column..start[k]]);
                ScaleKeepingNoData(pop[start[k]..end[k]], (float)(1 - value[k]), dst[start[k]..end[k]]);
                column = end[k];
            }
        }

        ScaleKeepingNoData(pop[column..], 1, dst[column..]);
    }

    /// <summary><paramref name="destination"/> = people × <paramref name="keep"/>, or <see cref="OutputNoData"/> where the people are nodata (NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleKeepingNoData(ReadOnlySpan<float> people, float keep, Span<float> destination)
    {
        ref float source = ref MemoryMarshal.GetReference(people);
        ref float target = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> noData = Vector256.Create(OutputNoData), factor = Vector256.Create(keep);
            for (; i <= people.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref source, (nuint)i);
                Vector256.ConditionalSelect(Vector256.Equals(v, v), v * factor, noData).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < people.Length; i++)
        {
            float v = people[i];
            destination[i] = float.IsNaN(v) ? OutputNoData : v * keep;
        }
    }

    /// <summary>
    /// People outside every coverage layer per cell of the band last given to <see cref="Process"/>, in
    /// double (pop − pop × covered fraction; 0 where the population is nodata), for the blank zones: their
    /// sums then match the national uncovered figure to rounding, unlike the float raster values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void UncoveredPeople(ReadOnlySpan<float> population, Span<double> destination)
    {
        int rows = population.Length / _columns;
        for (int i = 0; i < rows * _columns; i++)
        {
            float v = population[i];
            destination[i] = float.IsNaN(v) ? 0 : v;
        }

        if (_masks[0] is not { } any)
        {
            return;
        }

        ReadOnlySpan<int> start = any.Start, end = any.End;
        ReadOnlySpan<double> value = any.Value;
        for (int r = 0; r < rows; r++)
        {
            Span<double> dst = destination.Slice(r * _columns, _columns);
            for (int k = any.RowOffsets[r]; k < any.RowOffsets[r + 1]; k++)
            {
                double keep = value[k];
                for (int c = start[k]; c < end[k]; c++)
                {
                    dst[c] -= dst[c] * keep;
                }
            }
        }
    }

    /// <summary>Adds one row to the sums of level <paramref name="level"/>; returns the people outside its units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double AccumulateLevel(int level, int bandRow, ReadOnlySpan<float> pop, double rowTotal, BandResult result)
    {
        int offset = _model.UnitOffsets[level];
        int unitCount = _model.Levels[level].Units.Count;
        int stride = result.Stride;
        _pieces.Clear();
        for (int u = 0; u < unitCount; u++)
        {
            BandCoverage? cov = _coverage[offset + u];
            if (cov is null)
            {
                continue;
            }

            ReadOnlySpan<int> start = cov.Start, end = cov.End;
            ReadOnlySpan<double> value = cov.Value;
            for (int k = cov.RowOffsets[bandRow]; k < cov.RowOffsets[bandRow + 1]; k++)
            {
                _pieces.Add(start[k], end[k], u, k, value[k]);
            }
        }

        _pieces.Build();
        List<AdminPiece> pieces = _pieces.Pieces;
        if (_finestUnits is not null && level == _model.Levels.Count - 1)
        {
            foreach (AdminPiece p in pieces)
            {
                if (p.Fraction > 0)
                {
                    _finestUnits.Add(p.Start, p.End, p.Unit);
                }
            }
        }
        double assigned = 0;
        foreach (AdminPiece p in pieces)
        {
            double people = (_prefix[p.End] - _prefix[p.Start]) * p.Weight;
            result.AddToUnit(level, p.Unit * stride, people);
            assigned += people;
        }

        for (int m = 0; m < _masks.Length; m++)
        {
            if (_masks[m] is { } cov)
            {
                AccumulateMask(pieces, cov, bandRow, m, offset, level, pop, result);
            }
        }

        _hazards.Accumulate(pieces, _coverage, offset, level, pop, result);

        return rowTotal - assigned;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulateMask(List<AdminPiece> pieces, BandCoverage cov, int bandRow, int mask, int unitOffset, int level,
        ReadOnlySpan<float> pop, BandResult result)
    {
        int j = cov.RowOffsets[bandRow];
        int jEnd = cov.RowOffsets[bandRow + 1];
        if (j == jEnd)
        {
            return;
        }

        ReadOnlySpan<int> start = cov.Start, end = cov.End;
        ReadOnlySpan<double> value = cov.Value;
        foreach (AdminPiece p in pieces)
        {
            while (j < jEnd && end[j] <= p.Start)
            {
                j++;
            }

            double people = 0;
            for (int k = j; k < jEnd && start[k] < p.End; k++)
            {
                int s = Math.Max(p.Start, start[k]);
                int e = Math.Min(p.End, end[k]);
                if (p.Fraction < 1 && value[k] < 1)
                {
                    // Both partial, so both single cells: s is the cell.
                    people += ExactPeople(p, _coverage[unitOffset + p.Unit]!, cov, k, pop[s]);
                }
                else
                {
                    people += (_prefix[e] - _prefix[s]) * p.Weight * value[k];
                }
            }

            if (people != 0)
            {
                result.AddToUnit(level, (p.Unit * result.Stride) + 1 + mask, people);
            }
        }
    }

    /// <summary>People of a cell where unit and mask are both partial: pop × area(cell ∩ unit ∩ mask).</summary>
    private double ExactPeople(AdminPiece p, BandCoverage unit, BandCoverage mask, int maskSpan, float pop)
    {
        if (float.IsNaN(pop) || pop == 0)
        {
            return 0; // nobody to share out: skip the geometry work
        }

        _overlay.Clear();
        foreach (PartialCell part in unit.PartsOf(p.Span))
        {
            _overlay.Add(part, 0);
        }

        foreach (PartialCell part in mask.PartsOf(maskSpan))
        {
            _overlay.Add(part, 1);
        }

        _exactCells++;
        return pop * _overlay.Area() * p.Scale;
    }
}
