using System.Collections.Concurrent;
using System.Globalization;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Grids;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Overlay;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Pipeline;

/// <summary>
/// Reads the admin and coverage layers of a run, checks them, moves them into grid space and builds
/// the overlay model, whose coverage masks ("at least T", over all operators and per operator) are
/// defined on the coverage features without forming their unions.
/// </summary>
public static class ModelBuilder
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>
    /// Builds the overlay model; <paramref name="warnings"/> collects what was repaired or ignored.
    /// Layers are read and prepared on up to <paramref name="threads"/> threads (checking validity is
    /// most of the cost of the inputs); results, warnings and errors come out in config order.
    /// </summary>
    public static OverlayModel Build(CountryConfig config, PopulationGrid population, List<string> warnings, int threads)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(warnings);
        var jobs = new List<Func<List<string>, object>>();
        jobs.AddRange(config.Admin.Select(a => (Func<List<string>, object>)(w => ReadAdminLevel(a, population, w, threads))));
        jobs.AddRange(config.Coverage.Select(c => (Func<List<string>, object>)(w => ReadCoverage(c, population, w, threads))));
        jobs.AddRange(config.Hazards.Select(h => (Func<List<string>, object>)(w => ReadHazard(h, population, w, threads))));
        // Started coverage and hazards first, admin levels last: the coverage layers hold most of the vertices
        // (hundreds of thousands per operator), and one started last leaves the other core idle at the end.
        int[] start = [.. Enumerable.Range(config.Admin.Count, jobs.Count - config.Admin.Count), .. Enumerable.Range(0, config.Admin.Count)];
        object[] results = InOrder(jobs, start, warnings, threads);
        var levels = results.Take(config.Admin.Count).Cast<AdminLevel>().ToList();
        var layers = results.Skip(config.Admin.Count).Take(config.Coverage.Count).Cast<List<CoverageLayer>>().SelectMany(l => l).ToList();
        var hazards = results.Skip(config.Admin.Count + config.Coverage.Count).Cast<Hazard>().ToList();
        return BuildMasks(population.Grid, levels, layers, hazards);
    }

    /// <summary>
    /// Runs the jobs in parallel, started one at a time in the order <paramref name="start"/> gives; returns
    /// their results in order, appends their warnings in order and rethrows the error of the first failing
    /// job, so that what a user sees never depends on timing.
    /// </summary>
    private static object[] InOrder(List<Func<List<string>, object>> jobs, int[] start, List<string> warnings, int threads)
    {
        var results = new object[jobs.Count];
        var jobWarnings = new List<string>[jobs.Count];
        var errors = new Exception?[jobs.Count];
        // Not Parallel.For: its ranges may leave a large job to start after all the others.
        Parallel.ForEach(Partitioner.Create(start, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            jobWarnings[i] = [];
            try
            {
                results[i] = jobs[i](jobWarnings[i]);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors[i] = e;
            }
        });
        for (int i = 0; i < jobs.Count; i++)
        {
            if (errors[i] is { } e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
            }

            warnings.AddRange(jobWarnings[i]);
        }

        return results;
    }

    /// <summary>
    /// Moves every geometry into grid space (and repairs it) on up to <paramref name="threads"/> threads; the
    /// features' geometries are moved themselves (they were just read and serve nothing else).
    /// </summary>
    private static GridGeometry.Prepared[] ToGridSpace(IReadOnlyList<VectorFeature> features, PopulationGrid population, int threads)
    {
        var prepared = new GridGeometry.Prepared[features.Count];
        Parallel.For(0, features.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            i => prepared[i] = GridGeometry.ToGridSpaceInPlace(features[i].Geometry, population.Grid, population.IsGeographic));
        return prepared;
    }

    /// <summary>
    /// Builds the model from prepared coverage layers (grid space). Every layer is an atom of the masks:
    /// no union is formed here, the overlay combines the atoms cell by cell.
    /// </summary>
    public static OverlayModel BuildMasks(GridSpec grid, IReadOnlyList<AdminLevel> levels, IReadOnlyList<CoverageLayer> layers,
        IReadOnlyList<Hazard>? hazards = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Technology[] techLevels = layers.Any(l => l.Technology == Technology.G5)
            ? [Technology.G2, Technology.G3, Technology.G4, Technology.G5]
            : [Technology.G2, Technology.G3, Technology.G4];
        string[] operators = layers.Select(l => l.Operator).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        CoverageAtom[] atoms = [.. layers.Where(l => !l.GridGeometry.IsEmpty).Select(l => new CoverageAtom(l.Operator, l.Technology, l.GridGeometry))];
        return new OverlayModel(grid, levels, techLevels, operators, atoms) { Hazards = hazards ?? [] };
    }

    /// <summary>
    /// Reads one hazard into grid space. A raster is polygonized at its threshold in its own grid and CRS
    /// (cell edges traced exactly) and only then reprojected: resampling it onto the population grid would
    /// count a hazard cell shared by several population cells wrongly; its polygons give exact fractions.
    /// </summary>
    private static Hazard ReadHazard(HazardInput input, PopulationGrid population, List<string> warnings, int threads)
    {
        var grid = population.Grid;
        // Parts wholly off the grid are dropped (what overlaps it is rasterized exactly, unclipped).
        var gridBox = new Envelope(0, grid.Columns, 0, grid.Rows);
        var parts = new List<Geometry>();
        string source;
        if (input.IsRaster)
        {
            string op = input.Below ? "<=" : ">=";
            source = string.Create(CultureInfo.InvariantCulture, $"{input.Path}, band {input.Band}, value {op} {input.Threshold!.Value:G17}");
            // The traced polygons are interior-disjoint (they touch at most at cell corners), so they need no
            // union: gathered into one MultiPolygon, they are one geometry for the overlay however many
            // there are (a fine flood raster gives hundreds of thousands).
            var polygons = new List<Polygon>();
            foreach (Geometry g in RasterPolygonizer.PolygonizeParts(input.Path, input.Band, input.Threshold.Value, input.Below, population.CrsWkt, "hazard raster"))
            {
                Geometry inGrid = GridGeometry.ToGridSpaceInPlace(g, grid, population.IsGeographic).Geometry;
                polygons.AddRange(NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(inGrid).Cast<Polygon>()
                    .Where(p => !p.IsEmpty && p.EnvelopeInternal.Intersects(gridBox)));
            }

            if (polygons.Count > 0)
            {
                parts.Add(Factory.CreateMultiPolygon([.. polygons]));
            }
        }
        else
        {
            VectorLayerData data = VectorSource.ReadLayer(input.Path, input.Layer, [], population.CrsWkt, input.Where);
            source = $"{input.Path}, layer '{data.LayerName}'" + (input.Where is null ? string.Empty : $", where {input.Where}");
            if (data.Features.Count == 0)
            {
                throw new InputException(input.Where is null
                    ? $"{source}: hazard '{input.Name}' has no features. Check the file and layer, or remove the hazard from country.yaml."
                    : $"{source}: no feature of the layer matches the filter of hazard '{input.Name}'. Check the where: condition (field names and values are case-sensitive).");
            }

            int polygonal = 0;
            foreach (GridGeometry.Prepared p in ToGridSpace(data.Features, population, threads))
            {
                Geometry g = p.Geometry;
                if (!g.IsEmpty)
                {
                    polygonal++;
                    if (g.EnvelopeInternal.Intersects(gridBox))
                    {
                        parts.Add(g);
                    }
                }
            }

            if (polygonal == 0)
            {
                throw new InputException($"{source}: hazard '{input.Name}' holds no polygons. Hazards must be areas: buffer lines or points (e.g. a cyclone track by its wind radius) first.");
            }
        }

        if (parts.Count == 0)
        {
            warnings.Add($"{source}: hazard '{input.Name}' does not reach the population grid; nobody is exposed.");
        }

        return new Hazard(input.Name, input.Label, source, parts);
    }

    private static AdminLevel ReadAdminLevel(AdminInput input, PopulationGrid population, List<string> warnings, int threads)
    {
        VectorLayerData data = VectorSource.ReadLayer(input.Path, input.Layer, [input.IdField, input.NameField], population.CrsWkt);
        string where = $"{input.Path}, layer '{data.LayerName}'";
        if (data.Features.Count == 0)
        {
            throw new InputException($"{where}: the admin layer has no features with a geometry. Check the layer name (admin level '{input.Level}').");
        }

        var grid = population.Grid;
        var gridBox = new Envelope(0, grid.Columns, 0, grid.Rows);
        var units = new List<AdminUnit>(data.Features.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new SortedSet<string>(StringComparer.Ordinal);
        int repaired = 0;
        var outside = new List<string>();
        GridGeometry.Prepared[] prepared = ToGridSpace(data.Features, population, threads);
        for (int i = 0; i < data.Features.Count; i++)
        {
            VectorFeature f = data.Features[i];
            string? id = f.Attributes[input.IdField];
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new InputException($"{where}: feature {i + 1} has an empty '{input.IdField}'. Every admin unit needs an id.");
            }

            if (!seen.TryAdd(id, i))
            {
                duplicates.Add(id);
            }

            GridGeometry.Prepared p = prepared[i];
            if (p.Geometry.IsEmpty)
            {
                throw new InputException($"{where}: admin unit '{id}' is not a polygon (or is empty after repair). Admin layers must hold polygons.");
            }

            if (p.Repaired)
            {
                repaired++;
            }

            if (!p.Geometry.EnvelopeInternal.Intersects(gridBox))
            {
                outside.Add(id);
            }

            units.Add(new AdminUnit(id, f.Attributes[input.NameField] ?? string.Empty, p.Geometry));
        }

        if (duplicates.Count > 0)
        {
            string verb = duplicates.Count == 1 ? "appears" : "appear";
            throw new InputException($"{where}: the id field '{input.IdField}' is not unique: {Sample([.. duplicates])} {verb} more than once. Choose a unique id field (e.g. the P-code) or fix the layer.");
        }

        if (outside.Count == units.Count)
        {
            throw new InputException($"{where}: no admin unit overlaps the population grid ({Extent(grid)}). Check that both files are for the same country and that the layer's CRS is declared correctly.");
        }

        if (outside.Count > 0)
        {
            warnings.Add($"{where}: {outside.Count} admin unit(s) lie entirely outside the population grid and get 0 people: {Sample(outside)}.");
        }

        if (repaired > 0)
        {
            warnings.Add($"{where}: {repaired} invalid polygon(s) (e.g. self-intersecting rings) were repaired before the overlay.");
        }

        return new AdminLevel(input.Level, where, units);
    }

    private static List<CoverageLayer> ReadCoverage(CoverageInput input, PopulationGrid population, List<string> warnings, int threads)
    {
        var grid = population.Grid;
        string label = TechnologyNames.Label(input.Technology);
        if (input.IsRaster)
        {
            Geometry g = RasterPolygonizer.PolygonizeAtLeast(input.Path, input.MinSignal!.Value, population.CrsWkt);
            GridGeometry.Prepared p = GridGeometry.ToGridSpaceInPlace(g, grid, population.IsGeographic);
            if (p.Geometry.IsEmpty)
            {
                warnings.Add($"{input.Path}: no cell reaches min_signal {input.MinSignal.Value.ToString(CultureInfo.InvariantCulture)}; {input.Operator} {label} covers nobody.");
            }

            return [new CoverageLayer(input.Operator!, input.Technology, p.Geometry, input.Path)];
        }

        string[] fields = input.OperatorField is null ? [] : [input.OperatorField];
        VectorLayerData data = VectorSource.ReadLayer(input.Path, input.Layer, fields, population.CrsWkt);
        string where = $"{input.Path}, layer '{data.LayerName}'";
        if (data.Features.Count == 0)
        {
            throw new InputException($"{where}: the coverage layer ({label}) has no features. Remove this entry from country.yaml if the operator has no {label} coverage, or check the file.");
        }

        var byOperator = new SortedDictionary<string, List<Geometry>>(StringComparer.Ordinal);
        int repaired = 0;
        GridGeometry.Prepared[] prepared = ToGridSpace(data.Features, population, threads);
        for (int i = 0; i < data.Features.Count; i++)
        {
            VectorFeature f = data.Features[i];
            string? op = input.Operator ?? f.Attributes[input.OperatorField!];
            if (string.IsNullOrWhiteSpace(op))
            {
                throw new InputException($"{where}: feature {i + 1} has an empty '{input.OperatorField}'. Every coverage feature needs its operator.");
            }

            GridGeometry.Prepared p = prepared[i];
            if (p.Repaired)
            {
                repaired++;
            }

            if (!p.Geometry.IsEmpty)
            {
                if (!byOperator.TryGetValue(op, out List<Geometry>? list))
                {
                    byOperator[op] = list = [];
                }

                list.Add(p.Geometry);
            }
        }

        if (byOperator.Count == 0)
        {
            throw new InputException($"{where}: the coverage layer ({label}) holds no polygons. Coverage must be areas (polygons), or a signal raster with min_signal.");
        }

        if (repaired > 0)
        {
            warnings.Add($"{where}: {repaired} invalid polygon(s) were repaired before the overlay.");
        }

        // Every feature is an atom of the masks (features may overlap, e.g. one disc per site): the overlay
        // combines them cell by cell, so they are never unioned here.
        return [.. byOperator.SelectMany(kv => kv.Value.Select(part => new CoverageLayer(kv.Key, input.Technology, part, where)))];
    }

    private static string Sample(List<string> ids) =>
        string.Join(", ", ids.Take(5).Select(s => $"'{s}'")) + (ids.Count > 5 ? $" and {ids.Count - 5} more" : string.Empty);

    private static string Extent(GridSpec g) => string.Create(CultureInfo.InvariantCulture,
        $"x {g.OriginX:G10} to {g.MaxX:G10}, y {g.MinY:G10} to {g.OriginY:G10}");
}

/// <summary>One operator's coverage for one technology, in grid space.</summary>
public sealed record CoverageLayer(string Operator, Technology Technology, Geometry GridGeometry, string Source);
