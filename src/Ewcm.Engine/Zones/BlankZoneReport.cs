using System.Collections.Concurrent;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Zones;

/// <summary>A named place (town, village) in longitude/latitude.</summary>
public sealed record Place(string Name, double Lon, double Lat);

/// <summary>One listed blank zone and its attributes (its polygon comes from <see cref="BlankZoneReport.WithGeometries"/>).</summary>
public sealed record BlankZone(
    string Id,
    double People,
    double AreaKm2,
    double CentroidLon,
    double CentroidLat,
    IReadOnlyList<string> AdminIds,
    IReadOnlyList<string> AdminNames,
    double? DistanceTo2GKm,
    string? NearestPlace,
    double? NearestPlaceKm,
    double Priority,
    IReadOnlyList<double> Exposed)
{
    /// <summary>1 for the highest priority.</summary>
    public int Rank { get; init; }

    /// <summary>The zone's index in its <see cref="ZoneSet"/>, whose runs give its polygon.</summary>
    internal int Component { get; init; }
}

/// <summary>
/// The blank zones of a run, ranked: zones of at least <see cref="BlankZoneSettings.MinPeople"/> people
/// listed one by one, smaller ones grouped as scattered, so that listed + scattered = every uncovered person.
/// </summary>
/// <remarks>
/// Priority = people × (1 + h) × (1 + d / (d + 10 km)), where h is the largest share of the zone's people
/// exposed to one hazard (0 to 1; 0 without hazards) and d the distance to the nearest covered cell
/// (remoteness factor from 1 next to coverage towards 2 far away; 2 when nothing is covered).
/// Rank: priority descending, ties by zone id.
/// </remarks>
public sealed class BlankZoneReport
{
    /// <summary>Distance (km) at which the remoteness factor is halfway between 1 and 2.</summary>
    public const double RemotenessKm = 10;

    /// <summary>
    /// Runs of cells traced side by side before their polygons are handed on: bounds the polygons held in
    /// memory, small enough that they die young (before the garbage collector promotes them).
    /// </summary>
    private const long RunsPerChunk = 1 << 17;

    private readonly ZoneSet _set;
    private readonly GridSpec _grid;

    private BlankZoneReport(ZoneSet set, GridSpec grid, BlankZoneSettings settings, IReadOnlyList<string> extraNames, IReadOnlyList<BlankZone> zones,
        int scatteredZones, Int128 scatteredPeople, Int128 belowCell, Int128 inZones, Int128 all)
    {
        _set = set;
        _grid = grid;
        Settings = settings;
        ExtraLayerNames = extraNames;
        Zones = zones;
        ScatteredZones = scatteredZones;
        ScatteredZonePeople = FixedPoint.ToDouble(scatteredPeople);
        BelowCellMinimumPeople = FixedPoint.ToDouble(belowCell);
        ScatteredPeople = FixedPoint.ToDouble(scatteredPeople + belowCell);
        PeopleInZones = FixedPoint.ToDouble(inZones);
        AllUncovered = FixedPoint.ToDouble(all);
    }

    public BlankZoneSettings Settings { get; }

    public IReadOnlyList<string> ExtraLayerNames { get; }

    /// <summary>Listed zones by rank.</summary>
    public IReadOnlyList<BlankZone> Zones { get; }

    /// <summary>Zones below the minimum of people.</summary>
    public int ScatteredZones { get; }

    /// <summary>People in the zones below the minimum.</summary>
    public double ScatteredZonePeople { get; }

    /// <summary>Uncovered people in cells that joined no zone (below the per-cell minimums).</summary>
    public double BelowCellMinimumPeople { get; }

    /// <summary>Everyone uncovered outside the listed zones: small zones and cells below the per-cell minimums.</summary>
    public double ScatteredPeople { get; }

    /// <summary>People in the listed zones.</summary>
    public double PeopleInZones { get; }

    /// <summary>Every uncovered person of the grid (= <see cref="PeopleInZones"/> + <see cref="ScatteredPeople"/>, in fixed point).</summary>
    public double AllUncovered { get; }

    /// <summary>Lists, describes and ranks the zones of <paramref name="set"/>.</summary>
    /// <param name="set">The merged zones.</param>
    /// <param name="grid">The analysis grid (longitude/latitude).</param>
    /// <param name="finest">The finest admin level, whose units are named per zone (from <see cref="ZoneSet.UnitsOf"/>); null for none.</param>
    /// <param name="places">Named places for the nearest place; may be empty.</param>
    /// <param name="settings">The minimum of people per listed zone.</param>
    /// <param name="threads">Threads for the distances.</param>
    public static BlankZoneReport Build(ZoneSet set, GridSpec grid, AdminLevel? finest, IReadOnlyList<Place> places,
        BlankZoneSettings settings, int threads)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(places);
        ArgumentNullException.ThrowIfNull(settings);
        var listed = new List<int>();
        Int128 scattered = set.SmallZonePeopleFixed, inZones = 0;
        int scatteredZones = set.SmallZones;
        for (int z = 0; z < set.Count; z++)
        {
            if (set.People(z) >= settings.MinPeople)
            {
                listed.Add(z);
                inZones += set.PeopleFixed(z);
            }
            else
            {
                scatteredZones++;
                scattered += set.PeopleFixed(z);
            }
        }

        var distance = new CoverageDistance(grid, set.Covered);
        var zones = new BlankZone[listed.Count];
        Parallel.For(0, listed.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            int z = listed[i];
            ReadOnlySpan<CellRun> runs = set.RunsOf(z);
            (double u, double v) = set.Centroid(z);
            double lon = LonLatGeometry.NormalizeLongitude(grid.ToX(u));
            double lat = grid.ToY(v);
            double? d = distance.NearestKm(runs);
            (string? place, double? placeKm) = NearestPlace(places, lon, lat);
            double people = set.People(z);
            double[] exposed = [.. Enumerable.Range(0, set.ExtraLayerNames.Count).Select(k => set.Extra(z, k))];
            (int row, int col) = set.FirstCell(z);
            int[] units = finest is null ? [] : set.UnitsOf(z).ToArray();
            zones[i] = new BlankZone($"Z{row}_{col}", people, set.AreaKm2(z), lon, lat,
                [.. units.Select(u => finest!.Units[u].Id)], [.. units.Select(u => finest!.Units[u].Name)], d, place, placeKm,
                Priority(people, exposed, d), exposed) { Component = z };
        });

        BlankZone[] ranked = [.. zones.OrderByDescending(z => z.Priority).ThenBy(z => z.Id, StringComparer.Ordinal)
            .Select((z, i) => z with { Rank = i + 1 })];
        return new BlankZoneReport(set, grid, settings, set.ExtraLayerNames, ranked, scatteredZones, scattered, set.BelowCellMinimumFixed,
            inZones, set.AllUncoveredFixed);
    }

    /// <summary>
    /// The listed zones in rank order with their polygons in longitude/latitude (<see cref="LonLatGeometry"/>),
    /// traced from the zones' runs a chunk at a time: the next chunk is traced while the caller consumes
    /// this one, so at most two chunks' polygons are held in memory and writers can stream zones of any
    /// number and size while tracing keeps the cores busy.
    /// </summary>
    /// <param name="threads">Threads for tracing.</param>
    public IEnumerable<(BlankZone Zone, MultiPolygon Geometry)> WithGeometries(int threads)
    {
        var factory = new GeometryFactory();
        int first = 0;
        Task<MultiPolygon[]>? ahead = null;
        try
        {
            int end = ChunkEnd(first);
            ahead = end > first ? TraceChunkAsync(first, end, threads, factory) : null;
            while (ahead is not null)
            {
                MultiPolygon[] shapes = ahead.Result;
                int from = first;
                first = end;
                end = ChunkEnd(first);
                ahead = end > first ? TraceChunkAsync(first, end, threads, factory) : null;
                for (int k = 0; k < shapes.Length; k++)
                {
                    yield return (Zones[from + k], shapes[k]);
                }
            }
        }
        finally
        {
            // A caller that stops early (e.g. a write error) must not leave tracing running behind it.
            if (ahead is not null)
            {
                try
                {
                    ahead.Wait();
                }
                catch (AggregateException)
                {
                    // The caller's own failure is the one to report.
                }
            }
        }
    }

    /// <summary>The end of the chunk starting at <paramref name="first"/>: at least one zone, about <see cref="RunsPerChunk"/> runs.</summary>
    private int ChunkEnd(int first)
    {
        int end = first;
        long runs = 0;
        while (end < Zones.Count && (end == first || runs < RunsPerChunk))
        {
            runs += _set.RunsOf(Zones[end].Component).Length;
            end++;
        }

        return end;
    }

    /// <summary>
    /// Traces zones [first, end) on a background task, largest first so that a big zone does not finish
    /// alone at the end of the chunk while the other threads wait.
    /// </summary>
    private Task<MultiPolygon[]> TraceChunkAsync(int first, int end, int threads, GeometryFactory factory) => Task.Run(() =>
    {
        var shapes = new MultiPolygon[end - first];
        int[] order = [.. Enumerable.Range(first, end - first).OrderByDescending(k => _set.RunsOf(Zones[k].Component).Length).ThenBy(k => k)];
        Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            k => shapes[k - first] = LonLatGeometry.From(
                ZoneTracer.TraceOnBlocks(_set.RunsOf(Zones[k].Component), Settings.Simplify, _grid.Columns, _grid.Rows, factory), _grid, factory));
        return shapes;
    });

    /// <summary>The documented priority: people × (1 + largest hazard share) × remoteness.</summary>
    public static double Priority(double people, IReadOnlyList<double> exposed, double? distanceKm)
    {
        ArgumentNullException.ThrowIfNull(exposed);
        double h = 0;
        foreach (double e in exposed)
        {
            h = Math.Max(h, people > 0 ? Math.Clamp(e / people, 0, 1) : 0);
        }

        double remoteness = distanceKm is double d ? 1 + (d / (d + RemotenessKm)) : 2;
        return people * (1 + h) * remoteness;
    }

    private static (string?, double?) NearestPlace(IReadOnlyList<Place> places, double lon, double lat)
    {
        Place? best = null;
        double bestKm = double.PositiveInfinity;
        foreach (Place p in places)
        {
            double km = Geodesy.HaversineKm(lon, lat, p.Lon, p.Lat);
            if (km < bestKm || (km == bestKm && best is not null && string.CompareOrdinal(p.Name, best.Name) < 0))
            {
                best = p;
                bestKm = km;
            }
        }

        return best is null ? (null, null) : (best.Name, bestKm);
    }
}
