using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Labels blank zones: connected areas of cells holding uncovered people. Each band is labelled on its
/// own as it arrives (runs of zone cells joined by union-find), on the overlay's threads; the labelled
/// bands are then joined in band order by a <see cref="ZoneMerger"/>, as soon as the bands before them are
/// in, so the result does not depend on the thread count or the order in which bands were processed.
/// </summary>
/// <remarks>
/// Memory follows the bands waiting for their turn, the zones still open at the front and the listed
/// zones' runs (row segments of cells), not the grid: no grid-sized array is kept, and zones below the
/// minimum of people are dropped as soon as they are complete.
/// </remarks>
public sealed class ZoneBuilder : IBandCellConsumer
{
    // Per-thread scratch lists, reused from band to band: grown afresh per band, they were most of what
    // labelling allocated (the runs are then copied once, at their exact size, into the band).
    [ThreadStatic]
    private static List<CellRun>? t_runs;
    [ThreadStatic]
    private static List<CellRun>? t_covered;
    [ThreadStatic]
    private static List<long>? t_pairs;

    private readonly Dictionary<int, BandZones> _waiting = [];
    private readonly Lock _gate = new();
    private readonly ZoneMerger _merger;
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
        _merger = new ZoneMerger(columns, rows, settings.MinPeople, Slack);
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

        List<CellRun> runs = t_runs ??= [];
        List<CellRun> covered = t_covered ??= [];
        runs.Clear();
        covered.Clear();
        var rowStarts = new int[rows + 1];
        Int128 below = 0;
        for (int r = 0; r < rows; r++)
        {
            rowStarts[r] = runs.Count;
            double area = _rowAreaKm2(row0 + r);
            double minimum = Math.Max(Settings.MinCellPeople, Settings.MinCellDensity * area);
            // Zone cells are summed per run in Label; the other non-zero cells here.
            below += RowRuns.Zone(uncovered.Slice(r * Columns, Columns), Settings.MinCellPeople, minimum, row0 + r, runs);
            RowRuns.Positive(coveredFraction.Slice(r * Columns, Columns), row0 + r, covered);
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

        var labelled = new BandZones
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
        SettleInterior(labelled);
        lock (_gate)
        {
            _waiting.Add(band, labelled);
            while (_waiting.Remove(_merger.NextBand, out BandZones? next))
            {
                _merger.Add(next);
            }
        }
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
                people += v;
                peopleU += v * (c + 0.5);
            }

            // Rounded to fixed point once per run: a run lies in one row, so its sum does not depend on
            // the band height, and the per-cell conversion (a software 128-bit one) cost more than the rest.
            s.People += FixedPoint.From(people);
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
    /// Settles, here on the worker thread, the components touching neither the band's first nor its last
    /// row: they are complete, so a small one is only counted and a listed one gets its runs and units
    /// now. Only the components on the band's edges are left for the (serial) merge in band order.
    /// </summary>
    private void SettleInterior(BandZones band)
    {
        int n = band.Components.Length;
        var onEdge = new bool[n];
        if (band.Rows > 0)
        {
            foreach (CellRun run in band.RunsOfRow(0))
            {
                onEdge[run.Label] = true;
            }

            foreach (CellRun run in band.RunsOfRow(band.Rows - 1))
            {
                onEdge[run.Label] = true;
            }
        }

        var listedIndex = new int[n];
        var listed = new List<SettledZone>();
        for (int k = 0; k < n; k++)
        {
            listedIndex[k] = -1;
            if (onEdge[k])
            {
                continue;
            }

            ComponentSums sums = band.Components[k];
            if (FixedPoint.ToDouble(sums.People) >= Settings.MinPeople)
            {
                listedIndex[k] = listed.Count;
                listed.Add(new SettledZone(sums, [], []));
            }
            else
            {
                band.SmallZones++;
                band.SmallZonePeople += sums.People;
            }
        }

        foreach (CellRun run in band.Runs)
        {
            if (listedIndex[run.Label] >= 0)
            {
                listed[listedIndex[run.Label]].Runs.Add(run); // row-major already
            }
        }

        foreach (long pair in band.UnitPairs)
        {
            int k = (int)(pair >> 32);
            if (listedIndex[k] >= 0)
            {
                listed[listedIndex[k]].Units.Add((int)(pair & 0xFFFFFFFFL)); // ascending already
            }
        }

        band.OnEdge = onEdge;
        band.Settled = listed;
    }

    /// <summary>
    /// The (component, unit) pairs of the band, packed as component × 2³² + unit, sorted and distinct: a
    /// unit belongs to a component when it covers part of one of its cells. Linear in runs plus spans.
    /// </summary>
    private static long[] UnitsOfComponents(CellRun[] runs, int[] rowStarts, int rows, BandUnitSpans units)
    {
        List<long> pairs = t_pairs ??= [];
        pairs.Clear();
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

        return System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values)[..n].ToArray();
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

    /// <summary>The listed zones (at least <see cref="BlankZoneSettings.MinPeople"/> people) and the counts of the rest; call once every band is in.</summary>
    /// <exception cref="InvalidOperationException">Some rows of the grid were never given.</exception>
    public ZoneSet Merge()
    {
        lock (_gate)
        {
            if (_waiting.Count > 0)
            {
                BandZones first = _waiting.MinBy(kv => kv.Key).Value;
                throw new InvalidOperationException($"Blank zones: rows {_merger.NextRow} to {first.Row0 - 1} were never labelled.");
            }

            return _merger.Finish(ExtraLayerNames);
        }
    }
}
