using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Zones;

/// <summary>
/// Joins labelled bands into zones in band order, as they arrive, and closes each zone as soon as the
/// band below no longer touches it: a closed zone below the minimum of people is only counted (its runs
/// are dropped at once), a listed one keeps its runs. Memory thus follows the listed zones plus the open
/// front (the zones touching the last band's bottom row), not the grid: the millions of small scattered
/// components of a large country never pile up.
/// </summary>
/// <remarks>
/// Sums are in fixed point, so the order in which components join does not change them; a closed zone's
/// runs are sorted row-major, so its polygon and its id (from its first cell) do not depend on it either.
/// </remarks>
internal sealed class ZoneMerger(int columns, int rows, double minPeople, int slack)
{
    private readonly List<Zone> _listed = [];
    private readonly List<CellRun[]> _covered = [];
    private List<(CellRun Run, Zone Zone)> _front = [];
    private List<Zone> _open = [];
    private Int128 _scatteredPeople, _belowCellMinimum, _allUncovered;
    private int _scatteredZones;

    /// <summary>The band expected next.</summary>
    public int NextBand { get; private set; }

    /// <summary>The grid row the next band must start at.</summary>
    public int NextRow { get; private set; }

    /// <summary>Joins band <see cref="NextBand"/> to the zones above it and closes those it does not touch.</summary>
    public void Add(BandZones band)
    {
        if (band.Row0 != NextRow)
        {
            throw new InvalidOperationException($"Blank zones: rows {NextRow} to {band.Row0 - 1} were never labelled.");
        }

        // Components inside the band were settled on the worker thread; only those on its edges join here.
        foreach (SettledZone settled in band.Settled)
        {
            _listed.Add(new Zone(settled.Sums) { Closed = true, Runs = null, Units = null, SortedRuns = [.. settled.Runs], SortedUnits = [.. settled.Units] });
        }

        _scatteredZones += band.SmallZones;
        _scatteredPeople += band.SmallZonePeople;
        var local = new Zone?[band.Components.Length];
        for (int k = 0; k < local.Length; k++)
        {
            local[k] = band.OnEdge[k] ? new Zone(band.Components[k]) : null;
        }

        foreach (CellRun run in band.Runs)
        {
            local[run.Label]?.Runs!.Add(run);
        }

        foreach (long pair in band.UnitPairs)
        {
            local[(int)(pair >> 32)]?.Units!.Add((int)(pair & 0xFFFFFFFFL));
        }

        if (band.Rows > 0)
        {
            ReadOnlySpan<CellRun> top = band.RunsOfRow(0);
            CellRun[] above = [.. _front.Select(f => f.Run)];
            CellRun[] below = top.ToArray();
            ZoneBuilder.Connect(above, below, slack, (i, j) => Union(_front[i].Zone, local[below[j].Label]!));
        }

        // The new front: the band's bottom row, each run with its zone.
        int stamp = NextBand + 1;
        var front = new List<(CellRun, Zone)>();
        var open = new List<Zone>();
        if (band.Rows > 0)
        {
            foreach (CellRun run in band.RunsOfRow(band.Rows - 1))
            {
                Zone root = Find(local[run.Label]!);
                front.Add((run, root));
                if (root.Stamp != stamp)
                {
                    root.Stamp = stamp;
                    open.Add(root);
                }
            }
        }

        // Whatever was open above, or began in this band, and is not on the new front is complete.
        foreach (Zone z in _open.Concat(local.OfType<Zone>()))
        {
            Zone root = Find(z);
            if (root.Stamp != stamp && !root.Closed)
            {
                Close(root);
            }
        }

        _front = front;
        _open = open;
        _covered.Add(band.Covered);
        _belowCellMinimum += band.BelowCellMinimum;
        _allUncovered += band.AllUncovered;
        NextRow += band.Rows;
        NextBand++;
    }

    /// <summary>Closes the zones still open and returns the listed zones, numbered by first cell in row-major order.</summary>
    public ZoneSet Finish(IReadOnlyList<string> extraLayerNames)
    {
        if (NextRow != rows)
        {
            throw new InvalidOperationException($"Blank zones: {rows - NextRow} rows at the bottom were never labelled.");
        }

        foreach (Zone z in _open)
        {
            Zone root = Find(z);
            if (!root.Closed)
            {
                Close(root);
            }
        }

        _open = [];
        _front = [];
        Zone[] listed = [.. _listed.OrderBy(z => z.Sums.FirstRow).ThenBy(z => z.Sums.FirstColumn)];
        var runStart = new int[listed.Length + 1];
        var unitStart = new int[listed.Length + 1];
        for (int i = 0; i < listed.Length; i++)
        {
            runStart[i + 1] = runStart[i] + listed[i].SortedRuns!.Length;
            unitStart[i + 1] = unitStart[i] + listed[i].SortedUnits!.Length;
        }

        var runs = new CellRun[runStart[^1]];
        var units = new int[unitStart[^1]];
        for (int i = 0; i < listed.Length; i++)
        {
            int at = runStart[i];
            foreach (CellRun run in listed[i].SortedRuns!)
            {
                runs[at++] = run with { Label = i };
            }

            listed[i].SortedUnits!.CopyTo(units, unitStart[i]);
        }

        CoveredCells covered = CoveredCells.From(_covered, rows);
        return new ZoneSet(columns, rows, [.. listed.Select(z => z.Sums)], runs, runStart, units, unitStart, covered,
            _scatteredZones, _scatteredPeople, _belowCellMinimum, _allUncovered, extraLayerNames);
    }

    private void Close(Zone zone)
    {
        zone.Closed = true;
        if (FixedPoint.ToDouble(zone.Sums.People) >= minPeople)
        {
            CellRun[] sorted = [.. zone.Runs!];
            Array.Sort(sorted, static (a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Start.CompareTo(b.Start));
            zone.SortedRuns = sorted;
            zone.SortedUnits = [.. zone.Units!.Distinct().Order()];
            _listed.Add(zone);
        }
        else
        {
            _scatteredZones++;
            _scatteredPeople += zone.Sums.People;
        }

        zone.Runs = null;
        zone.Units = null;
    }

    /// <summary>Joins two zones; the one with fewer runs moves into the other.</summary>
    private static void Union(Zone a, Zone b)
    {
        a = Find(a);
        b = Find(b);
        if (ReferenceEquals(a, b))
        {
            return;
        }

        if (a.Runs!.Count < b.Runs!.Count)
        {
            (a, b) = (b, a);
        }

        b.Parent = a;
        a.Sums.Add(b.Sums);
        a.Runs.AddRange(b.Runs!);
        a.Units!.AddRange(b.Units!);
        b.Runs = null;
        b.Units = null;
    }

    private static Zone Find(Zone z)
    {
        while (z.Parent is { } p)
        {
            if (p.Parent is not { } grandparent)
            {
                return p;
            }

            z.Parent = grandparent; // path halving
            z = grandparent;
        }

        return z;
    }

    /// <summary>A zone growing band by band; after a union only the root holds runs and sums.</summary>
    private sealed class Zone(ComponentSums sums)
    {
        public Zone? Parent;
        public ComponentSums Sums = sums;
        public List<CellRun>? Runs = [];
        public List<int>? Units = [];
        public CellRun[]? SortedRuns;
        public int[]? SortedUnits;
        public bool Closed;
        public int Stamp;
    }
}
