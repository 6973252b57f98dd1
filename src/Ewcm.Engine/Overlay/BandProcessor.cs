using Ewcm.Engine.Coverage;

namespace Ewcm.Engine.Overlay;

/// <summary>
/// The overlay kernel for one band of rows: population × exact admin fractions × exact coverage
/// fractions → per-unit sums, national sums and the dense output rows. One instance per thread.
/// </summary>
/// <remarks>
/// Per row the population is prefix-summed once; every run of whole cells then costs two reads,
/// whatever its length, so the cost per row follows the number of coverage and admin spans, not the
/// number of cells. Cells where an admin fraction and a coverage fraction are both partial are
/// clipped exactly (<see cref="CellIntersector"/>), because fractions of two polygons do not multiply.
/// </remarks>
public sealed class BandProcessor
{
    /// <summary>Value written to the uncovered-population output where the population is nodata.</summary>
    public const float OutputNoData = -99999f;

    private readonly OverlayModel _model;
    private readonly EdgeBuckets _edges;
    private readonly BandRasterizer _rasterizer;
    private readonly CellIntersector _intersector = new();
    private readonly double[] _prefix;
    private readonly BandCoverage?[] _coverage;
    private readonly AdminRowPieces _pieces = new();
    private readonly int _columns;

    public BandProcessor(OverlayModel model, EdgeBuckets edges)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(edges);
        _model = model;
        _edges = edges;
        _columns = model.Grid.Columns;
        _rasterizer = new BandRasterizer(_columns);
        _prefix = new double[_columns + 1];
        _coverage = new BandCoverage?[edges.GeometryCount];
    }

    /// <summary>
    /// Processes band <paramref name="band"/>. <paramref name="population"/> holds its rows (people per
    /// cell, NaN where there is no data). When given, <paramref name="uncovered"/> receives people
    /// outside every coverage layer, and <paramref name="levelFractions"/>[t] the covered fraction of
    /// each cell for level t.
    /// </summary>
    public BandResult Process(int band, ReadOnlySpan<float> population, Span<float> uncovered, float[][]? levelFractions)
    {
        int row0 = band * _edges.BandHeight;
        int rows = Math.Min(_edges.BandHeight, _model.Grid.Rows - row0);
        int levelCount = _model.Levels.Count;
        int maskCount = _model.Masks.Count;
        var result = new BandResult(levelCount, _model.Levels.Select(l => l.Units.Count).ToArray(), maskCount);
        RasterizeBand(band, row0, rows);
        long exactBefore = _intersector.ExactCells;
        _pieces.ResetDiagnostics();

        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> pop = population.Slice(r * _columns, _columns);
            double rowTotal = PrefixSum(pop, out long valid);
            result.ValidPopulation += rowTotal;
            result.ValidCells += valid;

            for (int m = 0; m < maskCount; m++)
            {
                result.NationalCovered[m] += SumCovered(_coverage[_model.MaskGeometryIndex(m)], r);
            }

            if (!uncovered.IsEmpty)
            {
                WriteUncovered(pop, r, uncovered.Slice(r * _columns, _columns));
            }

            if (levelFractions is not null)
            {
                for (int t = 0; t < levelFractions.Length; t++)
                {
                    Span<float> dst = levelFractions[t].AsSpan(r * _columns, _columns);
                    dst.Clear();
                    _coverage[_model.MaskGeometryIndex(t)]?.FillRow(r, dst);
                }
            }

            for (int l = 0; l < levelCount; l++)
            {
                result.OutsideAdmin[l] += AccumulateLevel(l, row0 + r, r, pop, rowTotal, result.Units[l], result.Stride);
            }
        }

        result.ExactCells = _intersector.ExactCells - exactBefore;
        result.OverlapCells = _pieces.OverlapCells;
        return result;
    }

    private void RasterizeBand(int band, int row0, int rows)
    {
        Array.Clear(_coverage);
        ReadOnlySpan<int> ids = _edges.GeometriesIn(band);
        for (int i = 0; i < ids.Length; i++)
        {
            _coverage[ids[i]] = _rasterizer.Rasterize(_edges.SegmentsOf(band, i), row0, rows);
        }
    }

    /// <summary>Prefix sums of the row in double (nodata as 0); returns the row total.</summary>
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

    private double SumCovered(BandCoverage? cov, int bandRow)
    {
        if (cov is null)
        {
            return 0;
        }

        double s = 0;
        for (int k = cov.RowOffsets[bandRow]; k < cov.RowOffsets[bandRow + 1]; k++)
        {
            s += (_prefix[cov.End[k]] - _prefix[cov.Start[k]]) * cov.Value[k];
        }

        return s;
    }

    private void WriteUncovered(ReadOnlySpan<float> pop, int bandRow, Span<float> dst)
    {
        for (int c = 0; c < pop.Length; c++)
        {
            float v = pop[c];
            dst[c] = float.IsNaN(v) ? OutputNoData : v;
        }

        // Mask 0 is "at least the lowest level" over all operators: covered by anything.
        BandCoverage? any = _coverage[_model.MaskGeometryIndex(0)];
        if (any is null)
        {
            return;
        }

        for (int k = any.RowOffsets[bandRow]; k < any.RowOffsets[bandRow + 1]; k++)
        {
            float keep = (float)(1 - any.Value[k]);
            for (int c = any.Start[k]; c < any.End[k]; c++)
            {
                if (!float.IsNaN(pop[c]))
                {
                    dst[c] = pop[c] * keep;
                }
            }
        }
    }

    /// <summary>Adds one row to the sums of level <paramref name="level"/>; returns the people outside its units.</summary>
    private double AccumulateLevel(int level, int gridRow, int bandRow, ReadOnlySpan<float> pop, double rowTotal, double[] acc, int stride)
    {
        int offset = _model.UnitOffsets[level];
        int unitCount = _model.Levels[level].Units.Count;
        _pieces.Clear();
        for (int u = 0; u < unitCount; u++)
        {
            BandCoverage? cov = _coverage[offset + u];
            if (cov is null)
            {
                continue;
            }

            for (int k = cov.RowOffsets[bandRow]; k < cov.RowOffsets[bandRow + 1]; k++)
            {
                _pieces.Add(cov.Start[k], cov.End[k], u, cov.Value[k]);
            }
        }

        _pieces.Build();
        List<AdminPiece> pieces = _pieces.Pieces;
        double assigned = 0;
        foreach (AdminPiece p in pieces)
        {
            double people = (_prefix[p.End] - _prefix[p.Start]) * p.Weight;
            acc[p.Unit * stride] += people;
            assigned += people;
        }

        for (int m = 0; m < _model.Masks.Count; m++)
        {
            BandCoverage? cov = _coverage[_model.MaskGeometryIndex(m)];
            if (cov is not null)
            {
                AccumulateMask(pieces, cov, bandRow, gridRow, m, offset, pop, acc, stride);
            }
        }

        return rowTotal - assigned;
    }

    private void AccumulateMask(List<AdminPiece> pieces, BandCoverage cov, int bandRow, int gridRow, int mask,
        int unitOffset, ReadOnlySpan<float> pop, double[] acc, int stride)
    {
        int j = cov.RowOffsets[bandRow];
        int jEnd = cov.RowOffsets[bandRow + 1];
        if (j == jEnd)
        {
            return;
        }

        foreach (AdminPiece p in pieces)
        {
            while (j < jEnd && cov.End[j] <= p.Start)
            {
                j++;
            }

            double people = 0;
            for (int k = j; k < jEnd && cov.Start[k] < p.End; k++)
            {
                int s = Math.Max(p.Start, cov.Start[k]);
                int e = Math.Min(p.End, cov.End[k]);
                double coverValue = cov.Value[k];
                if (p.Fraction < 1 && coverValue < 1)
                {
                    people += ExactPeople(p, unitOffset, mask, gridRow, s, e, pop);
                }
                else
                {
                    people += (_prefix[e] - _prefix[s]) * p.Weight * coverValue;
                }
            }

            acc[(p.Unit * stride) + 1 + mask] += people;
        }
    }

    private double ExactPeople(AdminPiece p, int unitOffset, int mask, int gridRow, int s, int e, ReadOnlySpan<float> pop)
    {
        double people = 0;
        for (int c = s; c < e; c++)
        {
            float v = pop[c];
            if (float.IsNaN(v) || v == 0)
            {
                continue; // nobody to share out: skip the geometry work
            }

            PieceIndex admin = _model.AdminPieces[unitOffset + p.Unit].Value;
            PieceIndex cover = _model.MaskPieces[mask].Value;
            people += v * _intersector.Fraction(admin, cover, gridRow, c) * p.Scale;
        }

        return people;
    }
}
