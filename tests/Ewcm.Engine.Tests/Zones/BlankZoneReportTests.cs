using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Zones;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>Zone attributes: distance to coverage, nearest place, priority and rank, on grids at the equator.</summary>
public class BlankZoneReportTests
{
    /// <summary>0.1° cells whose first row is centred on the equator, from 10°E.</summary>
    private static GridSpec Grid(int columns, int rows) => new(10, 0.05, 0.1, 0.1, columns, rows);

    private static BlankZoneReport Report(string[] rows, IReadOnlyList<Place>? places = null, double minPeople = 0)
    {
        (double[] u, float[] c, int columns, int n) = ZoneGrids.Parse(rows);
        ZoneSet set = ZoneGrids.Label(u, c, columns, n, 2, 8);
        return BlankZoneReport.Build(set, Grid(columns, n), null, places ?? [], new BlankZoneSettings(MinPeople: minPeople), 2);
    }

    [Fact]
    public void Distance_to_coverage_is_the_great_circle_distance_between_the_nearest_cell_centres()
    {
        BlankZoneReport report = Report(
        [
            "#....",
            ".....",
            "...c.",
        ]);

        BlankZone zone = Assert.Single(report.Zones);
        Assert.Equal("Z0_0", zone.Id);
        double expected = Geodesy.HaversineKm(10.05, 0, 10.35, -0.2);
        Assert.Equal(expected, zone.DistanceTo2GKm!.Value, 1e-9);
        Assert.Equal(40.09, expected, 0.01); // √(0.3² + 0.2²)° ≈ 0.3606° of a great circle
        Assert.Equal(10.05, zone.CentroidLon, 1e-12);
        Assert.Equal(0, zone.CentroidLat, 1e-12);
    }

    [Fact]
    public void A_zone_holding_partly_covered_cells_is_at_distance_zero_and_nothing_covered_gives_no_distance()
    {
        Assert.Equal(0, Assert.Single(Report(["##p#"]).Zones).DistanceTo2GKm);
        BlankZone alone = Assert.Single(Report(["##.#."], minPeople: 2.2).Zones); // 2.375 and 2.125 people
        Assert.Null(alone.DistanceTo2GKm);
        Assert.Equal(alone.People * 2, alone.Priority, 1e-12); // remoteness 2 when nothing is covered
    }

    [Fact]
    public void Distances_on_random_grids_match_a_search_over_every_pair_of_cells()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 12; trial++)
        {
            int columns = random.Next(2, 30), rows = random.Next(2, 30);
            var uncovered = new double[columns * rows];
            var covered = new float[columns * rows];
            for (int i = 0; i < uncovered.Length; i++)
            {
                double x = random.NextDouble();
                uncovered[i] = x < 0.3 ? 1 : 0;
                covered[i] = x > 0.97 ? 1 : 0;
            }

            ZoneSet set = ZoneGrids.Label(uncovered, covered, columns, rows, 4, 8);
            // High latitudes, where longitude degrees shrink: 60°N to 63°N.
            var grid = new GridSpec(10, 63, 0.1, 0.1, columns, rows);
            BlankZoneReport report = BlankZoneReport.Build(set, grid, null, [], new BlankZoneSettings(MinPeople: 0), 1);
            foreach (BlankZone zone in report.Zones)
            {
                int z = Enumerable.Range(0, set.Count).Single(k => $"Z{set.FirstCell(k).Row}_{set.FirstCell(k).Column}" == zone.Id);
                double best = double.PositiveInfinity;
                foreach (CellRun run in set.RunsOf(z).ToArray())
                {
                    for (int c = run.Start; c < run.End; c++)
                    {
                        for (int k = 0; k < covered.Length; k++)
                        {
                            if (covered[k] > 0)
                            {
                                best = Math.Min(best, Geodesy.HaversineKm(grid.ColumnCenterX(c), grid.RowCenterY(run.Row),
                                    grid.ColumnCenterX(k % columns), grid.RowCenterY(k / columns)));
                            }
                        }
                    }
                }

                if (double.IsInfinity(best))
                {
                    Assert.Null(zone.DistanceTo2GKm);
                }
                else
                {
                    Assert.Equal(best, zone.DistanceTo2GKm!.Value, 1e-9);
                }
            }
        }
    }

    [Fact]
    public void Priority_weights_people_by_remoteness_and_hazard_share()
    {
        Assert.Equal(100, BlankZoneReport.Priority(100, [], 0));
        Assert.Equal(150, BlankZoneReport.Priority(100, [], BlankZoneReport.RemotenessKm), 1e-12);
        Assert.Equal(100 * 1.25 * 1.5, BlankZoneReport.Priority(100, [10, 25], 10), 1e-12);
        Assert.Equal(100 * 2 * 2, BlankZoneReport.Priority(100, [400], null), 1e-12);
    }

    [Fact]
    public void Zones_are_ranked_by_priority_then_id_and_small_ones_are_scattered()
    {
        BlankZoneReport report = Report(
        [
            "##.c.##",
            ".......",
            "#.....#",
        ], minPeople: 2.5);

        // People: Z0_0 2.375 (scattered), Z0_5 6.125, Z2_0 2.75, Z2_6 5.
        Assert.Equal(["Z0_5", "Z2_6", "Z2_0"], report.Zones.Select(z => z.Id));
        Assert.Equal(1, report.ScatteredZones);
        Assert.Equal(2.375, report.ScatteredPeople, 1e-12);
        Assert.Equal([1, 2, 3], report.Zones.Select(z => z.Rank));
        foreach (BlankZone z in report.Zones)
        {
            Assert.Equal(BlankZoneReport.Priority(z.People, [], z.DistanceTo2GKm), z.Priority);
        }

        Assert.Equal(report.AllUncovered, report.PeopleInZones + report.ScatteredPeople, 1e-12);
    }

    [Fact]
    public void The_nearest_place_is_named_with_its_distance_from_the_zone_centroid()
    {
        Place[] places = [new("Far", 10.95, 0), new("Near", 10.3, 0.1), new("West of 180", -170, 0)];
        BlankZone zone = Assert.Single(Report(["##"], places).Zones);

        Assert.Equal("Near", zone.NearestPlace);
        Assert.Equal(Geodesy.HaversineKm(zone.CentroidLon, zone.CentroidLat, 10.3, 0.1), zone.NearestPlaceKm!.Value, 1e-9);
    }
}
