using System.Collections.Concurrent;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Labels blank zones: connected areas of cells holding uncovered people. Each band is labelled on its
/// own as it arrives (runs of zone cells joined by union-find), keeping only its runs and per-component
/// sums; <see cref="Merge"/> then joins components across band borders in band order, so the result does
/// not depend on the thread count or the order in which bands were processed.
/// </summary>
/// <remarks>
/// Memory follows the number of runs (row segments of zone cells and of covered cells), not the number
/// of cells: no grid-sized array is kept.
/// </remarks>
public sealed class ZoneBuilder : IBandCellConsumer
{
    private readonly ConcurrentDictionary<int, BandZones> _bands = new();
    private readonly Func<int, double> _rowAreaKm2;

    /// <summary>Creates a builder for a grid of <paramref name="columns"/> × <paramref name="rows"/> cells.</summary>
    /// <param name="columns">Grid columns.</param>
    /// <param name="rows">Grid rows.</param>
    /// <param name="rowAreaKm2">True area of one cell of a row, km².</param>
    /// <param name="settings">Connectivity and the per-cell minimums.</param>
    /// <param name="extraLayerNames">Names of the extra per-cell layers summed per zone (e.g. hazards); may be empty.</param>
    public ZoneBuilder(int columns, int rows, Func<int, double> rowAreaKm2, BlankZoneSettings settings, IReadOnlyList<string> extraLayerNames)
    {
        ArgumentNullException.ThrowIfNull(rowAreaKm2);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(extraLayerNames);
        if (settings.Connectivity is not (4 or 8))
        {
            throw new ArgumentException("Connectivity must be 4 or 8.", nameof(settings));
        }

        foreach (string name in extraLayerNames)
        {
            // They become column names (people_exposed_<name>).
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
                || extraLayerNames.Count(n => n == name) > 1)
            {
                throw new ArgumentException($"Extra layer name '{name}' must be unique and use a-z, 0-9 and '_'.", nameof(extraLayerNames));
            }
        }

        Columns = columns;
        Rows = rows;
        _rowAreaKm2 = rowAreaKm2;
        Settings = settings;
        ExtraLayerNames = extraLayerNames;
    }

    public int Columns { get; }

    public int Rows { get; }

    public BlankZoneSettings Settings { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ExtraLayerNames { get; }

    /// <summary>Extra columns a run of cells may reach sideways and still touch a run of the next row: 1 with 8-connectivity.</summary>
    private int Slack => Settings.Connectivity == 8 ? 1 : 0;

    /// <inheritdoc/>
    public void AcceptBand(int band, int row0, int rows, ReadOnlySpan<double> uncovered, ReadOnlySpan<float> coveredFraction,
        IReadOnlyList<ReadOnlyMemory<float>> extras, BandUnitSpans? finestUnits)
    {
        ArgumentNullException.ThrowIfNull(extras);
        if (finestUnits is not null && finestUnits.Rows != rows)
        {
            throw new ArgumentException($"Expected admin unit spans for {rows} rows, got {finestUnits.Rows}.", nameof(finestUnits));
        }

        if (extras.Count != ExtraLayerNames.Count)
        {
            throw new ArgumentException($"Expected {ExtraLayerNames.Count} extra layers, got {extras.Count}.", nameof(extras));
        }

        if (uncovered.Length < rows * Columns || coveredFraction.Length < rows * Columns)
        {
            throw new ArgumentException("The spans must hold rows × columns values.", nameof(uncovered));
        }

        var runs = new List<CellRun>();
        var covered = new List<CellRun>();
        var rowStarts = new int[rows + 1];
        Int128 below = 0;
        for (int r = 0; r < rows; r++)
        {
            rowStarts[r] = runs.Count;
            double area = _rowAreaKm2(row0 + r);
            double minimum = Math.Max(Settings.MinCellPeople, Settings.MinCellDensity * area);
            ReadOnlySpan<double> unc = uncovered.Slice(r * Columns, Columns);
            ReadOnlySpan<float> cov = coveredFraction.Slice(r * Columns, Columns);
            int start = -1, covStart = -1;
            for (int c = 0; c < Columns; c++)
            {
                double v = unc[c];
                bool zone = v > 0 && v > Settings.MinCellPeople && v >= minimum;
                if (v != 0 && !zone)
                {
                    below += FixedPoint.From(v); // zone cells are summed per run in Label
                }

                if (zone != (start >= 0))
                {
                    if (zone)
                    {
                        start = c;
                    }
                    else
                    {
                        runs.Add(new CellRun(row0 + r, start, c, -1));
                        start = -1;
                    }
                }

                bool isCovered = cov[c] > 0;
                if (isCovered != (covStart >= 0))
                {
                    if (isCovered)
                    {
                        covStart = c;
                    }
                    else
                    {
                        covered.Add(new CellRun(row0 + r, covStart, c, -1));
                        covStart = -1;
                    }
                }
            }

            if (start >= 0)
            {
                runs.Add(new CellRun(row0 + r, start, Columns, -1));
            }

            if (covStart >= 0)
            {
                covered.Add(new CellRun(row0 + r, covStart, Columns, -1));
            }
        }

        rowStarts[rows] = runs.Count;
        CellRun[] runArray = [.. runs];
        ComponentSums[] components = Label(runArray, rowStarts, rows, row0, uncovered, extras);
        long[] unitPairs = finestUnits is null ? [] : UnitsOfComponents(runArray, rowStarts, rows, finestUnits);
        Int128 all = below;
        foreach (ComponentSums c in components)
        {
            all += c.People;
        }

        _bands[band] = new BandZones
        {
            Row0 = row0,
            Rows = rows,
            Runs = runArray,
            RowStarts = rowStarts,
            Components = components,
            UnitPairs = unitPairs,
            Covered = [.. covered],
            BelowCellMinimum = below,
            AllUncovered = all,
        };
    }

    /// <summary>Joins the runs of the band into components (numbered by their first run) and sums each.</summary>
    private ComponentSums[] Label(CellRun[] runs, int[] rowStarts, int rows, int row0, ReadOnlySpan<double> uncovered,
        IReadOnlyList<ReadOnlyMemory<float>> extras)
    {
        var uf = new UnionFind(runs.Length);
        for (int r = 1; r < rows; r++)
        {
            int prevBase = rowStarts[r - 1], curBase = rowStarts[r];
            Connect(runs.AsSpan(prevBase, curBase - prevBase), runs.AsSpan(curBase, rowStarts[r + 1] - curBase), Slack,
                (i, j) => uf.Union(prevBase + i, curBase + j));
        }

        var labelOfRoot = new int[runs.Length];
        Array.Fill(labelOfRoot, -1);
        var components = new List<ComponentSums>();
        for (int k = 0; k < runs.Length; k++)
        {
            int root = uf.Find(k);
            if (labelOfRoot[root] < 0)
            {
                labelOfRoot[root] = components.Count;
                components.Add(new ComponentSums(extras.Count) { FirstRow = runs[k].Row, FirstColumn = runs[k].Start });
            }

            CellRun run = runs[k] with { Label = labelOfRoot[root] };
            runs[k] = run;
            ComponentSums s = components[run.Label];
            int offset = (run.Row - row0) * Columns;
            double area = _rowAreaKm2(run.Row);
            double people = 0, peopleU = 0;
            for (int c = run.Start; c < run.End; c++)
            {
                double v = uncovered[offset + c];
                s.People += FixedPoint.From(v);
                people += v;
                peopleU += v * (c + 0.5);
            }

            s.PeopleU += FixedPoint.From(peopleU);
            s.PeopleV += FixedPoint.From(people * (run.Row + 0.5));
            s.AreaKm2 += FixedPoint.From(area * (run.End - run.Start));
            s.Cells += run.End - run.Start;
            for (int x = 0; x < extras.Count; x++)
            {
                ReadOnlySpan<float> layer = extras[x].Span.Slice(offset + run.Start, run.End - run.Start);
                double sum = 0;
                foreach (float v in layer)
                {
                    sum += v;
                }

                s.Extras[x] += FixedPoint.From(sum);
            }
        }

        return [.. components];
    }

    /// <summary>
    /// The (component, unit) pairs of the band, packed as component × 2³² + unit, sorted and distinct: a
    /// unit belongs to a component when it covers part of one of its cells. Linear in runs plus spans.
    /// </summary>
    private static long[] UnitsOfComponents(CellRun[] runs, int[] rowStarts, int rows, BandUnitSpans units)
    {
        var pairs = new List<long>();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<UnitSpan> spans = units.Row(r);
            int first = 0;
            long previous = -1;
            for (int k = rowStarts[r]; k < rowStarts[r + 1]; k++)
            {
                CellRun run = runs[k];
                while (first < spans.Length && spans[first].End <= run.Start)
                {
                    first++;
                }

                for (int i = first; i < spans.Length && spans[i].Start < run.End; i++)
                {
                    if (spans[i].End > run.Start)
                    {
                        long pair = ((long)run.Label << 32) | (uint)spans[i].Unit;
                        if (pair != previous)
                        {
                            pairs.Add(pair);
                            previous = pair;
                        }
                    }
                }
            }
        }

        return SortedDistinct(pairs);
    }

    private static long[] SortedDistinct(List<long> values)
    {
        values.Sort();
        int n = 0;
        for (int i = 0; i < values.Count; i++)
        {
            if (n == 0 || values[i] != values[n - 1])
            {
                values[n++] = values[i];
            }
        }

        return [.. values.Take(n)];
    }

    /// <summary>
    /// Calls <paramref name="join"/>(i, j) for every run i of <paramref name="above"/> touching run j of
    /// <paramref name="below"/> (the next row); both sorted by start. Linear in the two counts plus the pairs.
    /// </summary>
    internal static void Connect(ReadOnlySpan<CellRun> above, ReadOnlySpan<CellRun> below, int slack, Action<int, int> join)
    {
        int first = 0;
        for (int j = 0; j < below.Length; j++)
        {
            CellRun b = below[j];
            while (first < above.Length && above[first].End + slack <= b.Start)
            {
                first++;
            }

            for (int i = first; i < above.Length && above[i].Start < b.End + slack; i++)
            {
                join(i, j);
            }
        }
    }

    /// <summary>Joins the bands' components across band borders in band order; call once every band is in.</summary>
    /// <exception cref="InvalidOperationException">Some rows of the grid were never given.</exception>
    public ZoneSet Merge()
    {
        BandZones[] bands = [.. _bands.OrderBy(kv => kv.Key).Select(kv => kv.Value)];
        int expectedRow = 0;
        foreach (BandZones b in bands)
        {
            if (b.Row0 != expectedRow)
            {
                throw new InvalidOperationException($"Blank zones: rows {expectedRow} to {b.Row0 - 1} were never labelled.");
            }

            expectedRow += b.Rows;
        }

        if (expectedRow != Rows)
        {
            throw new InvalidOperationException($"Blank zones: {Rows - expectedRow} rows at the bottom were never labelled.");
        }

        var offsets = new int[bands.Length + 1];
        for (int b = 0; b < bands.Length; b++)
        {
            offsets[b + 1] = offsets[b] + bands[b].Components.Length;
        }

        var uf = new UnionFind(offsets[^1]);
        for (int b = 1; b < bands.Length; b++)
        {
            BandZones above = bands[b - 1], below = bands[b];
            ReadOnlySpan<CellRun> bottomRow = above.RunsOfRow(above.Rows - 1);
            ReadOnlySpan<CellRun> topRow = below.RunsOfRow(0);
            CellRun[] bottom = bottomRow.ToArray(), top = topRow.ToArray();
            int oa = offsets[b - 1], ob = offsets[b];
            Connect(bottom, top, Slack, (i, j) => uf.Union(oa + bottom[i].Label, ob + top[j].Label));
        }

        // Global ids in order of first appearance: bands top to bottom, local components by first run,
        // so a zone's id is the rank of its first cell in row-major order.
        var globalOf = new int[offsets[^1]];
        var rootId = new int[offsets[^1]];
        Array.Fill(rootId, -1);
        var sums = new List<ComponentSums>();
        Int128 below2 = 0, all = 0;
        for (int b = 0; b < bands.Length; b++)
        {
            below2 += bands[b].BelowCellMinimum;
            all += bands[b].AllUncovered;
            for (int k = 0; k < bands[b].Components.Length; k++)
            {
                int root = uf.Find(offsets[b] + k);
                if (rootId[root] < 0)
                {
                    rootId[root] = sums.Count;
                    sums.Add(new ComponentSums(ExtraLayerNames.Count));
                }

                globalOf[offsets[b] + k] = rootId[root];
                sums[rootId[root]].Add(bands[b].Components[k]);
            }
        }

        // Runs bucketed by zone (counting sort, stable: each zone's runs stay row-major).
        int zoneCount = sums.Count;
        var runStart = new int[zoneCount + 1];
        long runTotal = 0;
        for (int b = 0; b < bands.Length; b++)
        {
            foreach (CellRun run in bands[b].Runs)
            {
                runStart[globalOf[offsets[b] + run.Label] + 1]++;
            }

            runTotal += bands[b].Runs.Length;
        }

        for (int z = 0; z < zoneCount; z++)
        {
            runStart[z + 1] += runStart[z];
        }

        var runs = new CellRun[runTotal];
        var fill = (int[])runStart.Clone();
        for (int b = 0; b < bands.Length; b++)
        {
            foreach (CellRun run in bands[b].Runs)
            {
                int z = globalOf[offsets[b] + run.Label];
                runs[fill[z]++] = run with { Label = z };
            }
        }

        // Units per zone: the bands' (component, unit) pairs carried to zones, as zone → sorted units.
        var pairs = new List<long>();
        for (int b = 0; b < bands.Length; b++)
        {
            foreach (long pair in bands[b].UnitPairs)
            {
                pairs.Add(((long)globalOf[offsets[b] + (int)(pair >> 32)] << 32) | (pair & 0xFFFFFFFFL));
            }
        }

        long[] zoneUnits = SortedDistinct(pairs);
        var unitStart = new int[zoneCount + 1];
        foreach (long pair in zoneUnits)
        {
            unitStart[(int)(pair >> 32) + 1]++;
        }

        for (int z = 0; z < zoneCount; z++)
        {
            unitStart[z + 1] += unitStart[z];
        }

        int[] units = [.. zoneUnits.Select(p => (int)(p & 0xFFFFFFFFL))];
        CoveredCells covered = CoveredCells.From(bands.Select(b => b.Covered), Rows);
        return new ZoneSet(Columns, Rows, [.. sums], runs, runStart, units, unitStart, covered, below2, all, ExtraLayerNames);
    }
}
