using System.Runtime.CompilerServices;

namespace Ewcm.Engine.Coverage;

/// <summary>
/// The exact coverage of a union of geometries over a band, from their own coverages: a cell is whole
/// where any of them is whole, uncovered where none covers it, the fraction of the only partial one
/// where one is partial, and otherwise the exact area of the union of the partial ones in that cell
/// (<see cref="CellOverlay"/>), which is the only case that looks at geometry.
/// </summary>
/// <remarks>
/// Fractions of overlapping geometries do not add, so a union cannot be had from fractions alone; but
/// it needs geometry only in cells that two boundaries cross, so no polygon union is ever built.
/// One instance per thread: it reuses its buffers.
/// </remarks>
public sealed class CoverageUnion
{
    private readonly CellOverlay _overlay;

    // Per input with spans in the current row: the input, its span arrays, its next span and the end of its spans in the row.
    private BandCoverage[] _input = new BandCoverage[8];
    private int[][] _start = new int[8][];
    private int[][] _end = new int[8][];
    private double[][] _value = new double[8][];
    private int[] _cursor = new int[8];
    private int[] _stop = new int[8];

    /// <summary>Creates a union builder that uses <paramref name="overlay"/> for cells where several inputs are partial.</summary>
    public CoverageUnion(CellOverlay overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        _overlay = overlay;
    }

    /// <summary>
    /// Writes the union of <paramref name="inputs"/> (coverages of the same band) into <paramref name="output"/>.
    /// In a partial cell of the result, the parts are those of the partial inputs, in input order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(IReadOnlyList<BandCoverage> inputs, BandCoverage output)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfZero(inputs.Count);
        if (_input.Length < inputs.Count)
        {
            int n = inputs.Count;
            _input = new BandCoverage[n];
            _start = new int[n][];
            _end = new int[n][];
            _value = new double[n][];
            _cursor = new int[n];
            _stop = new int[n];
        }

        int rows = inputs[0].Rows;
        output.Reset(inputs[0].Row0, rows);
        for (int r = 0; r < rows; r++)
        {
            output.StartRow(r);
            int active = 0;
            for (int i = 0; i < inputs.Count; i++)
            {
                BandCoverage input = inputs[i];
                int[] offsets = input.RowOffsetBuffer;
                if (offsets[r] < offsets[r + 1])
                {
                    _input[active] = input;
                    _start[active] = input.StartBuffer;
                    _end[active] = input.EndBuffer;
                    _value[active] = input.ValueBuffer;
                    _cursor[active] = offsets[r];
                    _stop[active] = offsets[r + 1];
                    active++;
                }
            }

            MergeRow(active, output);
        }

        output.Finish();
    }

    /// <summary>
    /// Merges the spans of one row, sorted within each input, from left to right: a run where some input
    /// is whole (extended over every whole span it meets), or else the cell where the leftmost spans,
    /// all partial, start.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeRow(int active, BandCoverage output)
    {
        while (true)
        {
            int column = int.MaxValue, runEnd = 0, startingHere = 0, first = 0;
            bool whole = false;
            for (int a = 0; a < active; a++)
            {
                int k = _cursor[a];
                if (k == _stop[a])
                {
                    continue;
                }

                int start = _start[a][k];
                if (start < column)
                {
                    column = start;
                    whole = false;
                    startingHere = 0;
                    first = a;
                }

                if (start == column)
                {
                    startingHere++;
                    if (_value[a][k] == 1)
                    {
                        whole = true;
                        runEnd = Math.Max(runEnd, _end[a][k]);
                    }
                }
            }

            if (column == int.MaxValue)
            {
                return;
            }

            if (whole)
            {
                output.AddWhole(column, ExtendRun(active, runEnd));
            }
            else if (startingHere == 1)
            {
                // The common case: one partial input, whose fraction and parts the union takes as they are.
                int k = _cursor[first]++;
                foreach (PartialCell part in _input[first].PartsOf(k))
                {
                    output.AddPart(part);
                }

                output.AddPartial(column, _value[first][k]);
            }
            else
            {
                AddPartialCell(active, column, output);
            }
        }
    }

    /// <summary>Skips every span inside the run [.., runEnd), extending it over whole spans that go past it; returns its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ExtendRun(int active, int runEnd)
    {
        bool grew = true;
        while (grew)
        {
            grew = false;
            for (int a = 0; a < active; a++)
            {
                int[] start = _start[a], end = _end[a];
                double[] value = _value[a];
                int k = _cursor[a], stop = _stop[a];
                for (; k < stop && start[k] < runEnd; k++)
                {
                    if (value[k] == 1 && end[k] > runEnd)
                    {
                        runEnd = end[k];
                        grew = true;
                    }
                }

                _cursor[a] = k;
            }
        }

        return runEnd;
    }

    /// <summary>Adds the cell <paramref name="column"/>, where several inputs are partial and none is whole.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddPartialCell(int active, int column, BandCoverage output)
    {
        _overlay.Clear();
        for (int a = 0; a < active; a++)
        {
            if (StartsAt(a, column))
            {
                foreach (PartialCell part in _input[a].PartsOf(_cursor[a]))
                {
                    _overlay.Add(part, 0);
                }
            }
        }

        double fraction = _overlay.Area();
        bool whole = fraction > 1 - BandRasterizer.Epsilon;
        for (int a = 0; a < active; a++)
        {
            if (StartsAt(a, column))
            {
                if (!whole)
                {
                    foreach (PartialCell part in _input[a].PartsOf(_cursor[a]))
                    {
                        output.AddPart(part);
                    }
                }

                _cursor[a]++;
            }
        }

        if (whole)
        {
            output.AddWhole(column, column + 1);
        }
        else
        {
            output.AddPartial(column, fraction);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StartsAt(int a, int column) => _cursor[a] < _stop[a] && _start[a][_cursor[a]] == column;
}
