using Ewcm.Engine.Batch;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Tests.Pipeline;

namespace Ewcm.Engine.Tests.Zones;

/// <summary>`ewcm batch --resume` must rerun a country whose blank-zone settings or places changed.</summary>
public class BlankZoneFingerprintTests
{
    private static string Hash(RunSandbox box, string extra)
    {
        box.WriteConfig();
        box.WriteConfig(File.ReadAllText(box.ConfigPath) + extra);
        CountryConfig config = CountryConfigLoader.Load(box.ConfigPath);
        return BatchFingerprint.Compute(new BatchEntry(0, "TST", "test", box.ConfigPath, config, null, BatchSettings.Default)).Hash;
    }

    [Fact]
    public void Blank_zone_settings_and_places_are_part_of_the_fingerprint()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        File.WriteAllText(box.Input("places.csv"), "name,lon,lat\nNorthgate,10.5,1.9\n");
        string plain = Hash(box, string.Empty);
        string places = Hash(box, "places: { path: places.csv, name_field: name }\n");

        Assert.Equal(plain, Hash(box, string.Empty));
        Assert.NotEqual(plain, Hash(box, "blank_zones: { min_people: 50 }\n"));
        Assert.NotEqual(plain, Hash(box, "blank_zones: { connectivity: 4 }\n"));
        Assert.NotEqual(plain, places);
        File.WriteAllText(box.Input("places.csv"), "name,lon,lat\nSouthport,11.5,0.1\n");
        Assert.NotEqual(places, Hash(box, "places: { path: places.csv, name_field: name }\n"));
    }
}
