using System.Text.Json;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Zones;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>The writers with extra per-cell layers (hazards): one people_exposed_&lt;name&gt; column each.</summary>
public class BlankZoneFilesTests
{
    [Fact]
    public void Extra_layers_become_people_exposed_columns_in_the_csv_geojson_and_summary()
    {
        (double[] u, float[] c, int columns, int rows) = ZoneGrids.Parse(["##.#", "c..."]);
        float[] flood = [0.5f, 0.25f, 0, 2f, 0, 0, 0, 0];
        float[] landslide = [0, 1, 0, 0, 0, 0, 0, 0];
        ZoneSet set = ZoneGrids.Label(u, c, columns, rows, 1, 8, extras: [flood, landslide], extraNames: ["flood", "landslide"]);
        var grid = new GridSpec(10, 0.1, 0.1, 0.1, columns, rows);
        BlankZoneReport report = BlankZoneReport.Build(set, grid, null, [], new BlankZoneSettings(MinPeople: 0), 1);
        var model = new OverlayModel(grid, [], [Technology.G2], ["OpA"], []);
        using TempFolder folder = TestPaths.NewTempFolder();

        BlankZoneFiles.Write(folder.Path, report, model, new BandResult(0, [], model.Masks.Count), grid, CrsInfo.FromUserInput("EPSG:4326"));

        string[] csv = File.ReadAllLines(Path.Combine(folder.Path, "blank_zones.csv"));
        Assert.EndsWith(",priority,people_exposed_flood,people_exposed_landslide", csv[0], StringComparison.Ordinal);
        string first = csv.Single(l => l.Split(',')[1] == "Z0_0");
        Assert.EndsWith(",0.750000,1.000000", first, StringComparison.Ordinal);
        using JsonDocument geojson = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "blank_zones.geojson")));
        JsonElement zone = geojson.RootElement.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("zone_id").GetString() == "Z0_3").GetProperty("properties");
        Assert.Equal(2, zone.GetProperty("people_exposed_flood").GetDouble());
        Assert.Equal(JsonValueKind.Null, zone.GetProperty("nearest_place").ValueKind);
        // The hazard share raises the priority: Z0_0 has 2.375 people, 0.75 + 1 exposed (largest share 1 / 2.375).
        BlankZone z0 = report.Zones.Single(z => z.Id == "Z0_0");
        Assert.Equal(BlankZoneReport.Priority(z0.People, [0.75, 1], z0.DistanceTo2GKm), z0.Priority, 1e-12);
        Assert.True(z0.Priority > BlankZoneReport.Priority(z0.People, [], z0.DistanceTo2GKm));
    }
}
