using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Zones;

/// <summary>
/// The blank zones within `ewcm run`: prepared before the overlay (settings and places checked, so a bad
/// places file fails before the long part), fed by the overlay band by band, finished into the output files.
/// </summary>
public sealed class BlankZonesStage
{
    private readonly CountryConfig _config;
    private readonly PopulationGrid _population;
    private readonly IReadOnlyList<Place> _places;
    private readonly ZoneBuilder _builder;

    private BlankZonesStage(CountryConfig config, PopulationGrid population, IReadOnlyList<Place> places, IReadOnlyList<string> extraLayerNames)
    {
        _config = config;
        _population = population;
        _places = places;
        _builder = new ZoneBuilder(population.Grid.Columns, population.Grid.Rows, population.CellAreaKm2, config.BlankZones, extraLayerNames);
    }

    /// <summary>What the overlay feeds, band by band.</summary>
    public IBandCellConsumer Consumer => _builder;

    /// <summary>
    /// Prepares the stage, or returns null when blank zones are switched off, or (with a warning) when the
    /// population grid is not in longitude/latitude (distances and GeoJSON need geographic cells).
    /// </summary>
    /// <param name="config">The country.</param>
    /// <param name="population">The analysis grid.</param>
    /// <param name="warnings">Receives the reason when zones are skipped.</param>
    /// <param name="extraLayerNames">Names of extra per-cell layers the overlay will supply (e.g. hazards); summed per zone.</param>
    public static BlankZonesStage? Prepare(CountryConfig config, PopulationGrid population, List<string> warnings,
        IReadOnlyList<string>? extraLayerNames = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!config.BlankZones.Enabled)
        {
            return null;
        }

        if (!population.IsGeographic)
        {
            warnings.Add($"{population.Input.Path}: blank zones were not computed: they need a population grid in longitude/latitude (e.g. EPSG:4326).");
            return null;
        }

        IReadOnlyList<Place> places = config.Places is null ? [] : ReadPlaces(config.Places, population.CrsWkt);
        return new BlankZonesStage(config, population, places, extraLayerNames ?? []);
    }

    /// <summary>Merges the bands, describes and ranks the zones and writes the files into <paramref name="folder"/>.</summary>
    /// <param name="model">The overlay's model (admin levels for naming and the admin_units layer).</param>
    /// <param name="totals">The overlay's sums.</param>
    /// <param name="folder">The run's (temporary) output folder.</param>
    /// <param name="threads">Threads for describing the zones.</param>
    /// <param name="partSeconds">Optional: receives the seconds of each part ("merge", "describe", "files") for the run log.</param>
    public BlankZoneReport Finish(OverlayModel model, BandResult totals, string folder, int threads, Action<string, double>? partSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(totals);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Part(string name)
        {
            partSeconds?.Invoke(name, Math.Round(clock.Elapsed.TotalSeconds, 3));
            clock.Restart();
        }

        ZoneSet set = _builder.Merge();
        Part("merge");
        AdminLevel? finest = model.Levels.Count > 0 ? model.Levels[^1] : null;
        BlankZoneReport report = BlankZoneReport.Build(set, _population.Grid, finest, _places, _config.BlankZones, threads);
        Part("describe");
        BlankZoneFiles.Write(folder, report, model, totals, _population.Grid, _population.CrsWkt, threads);
        Part("files");
        return report;
    }

    /// <summary>Named points of the places layer in the grid's CRS; features without a name are skipped.</summary>
    public static IReadOnlyList<Place> ReadPlaces(PlacesInput input, string crsWkt)
    {
        ArgumentNullException.ThrowIfNull(input);
        VectorLayerData layer = VectorSource.ReadLayer(input.Path, input.Layer, [input.NameField], crsWkt);
        var places = new List<Place>();
        foreach (VectorFeature f in layer.Features)
        {
            string? name = f.Attributes[input.NameField];
            if (string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            Coordinate c = f.Geometry is Point p ? p.Coordinate : f.Geometry.InteriorPoint.Coordinate;
            places.Add(new Place(name.Trim(), c.X, c.Y));
        }

        if (places.Count == 0)
        {
            throw InputException.For(input.Path, layer.LayerName, $"no feature has a name in the field '{input.NameField}'",
                "Point places.name_field in country.yaml to the column holding the place names");
        }

        return places;
    }
}
