using Ewcm.Engine.Inputs;
using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// WorldPop's 2020 density grid of Liberia (people per km², ~20 km cells): read as densities it gives
/// Σ density × true cell area, some 4 million people (Liberia has about 5 million); read as counts it is refused.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class DensityTests
{
    private static readonly string Raster = TestPaths.Data("liberia-density", "afripop2020_density_LBR.tif");

    private static readonly string Outline = TestPaths.Data("liberia-density", "LBR.geojson");

    /// <summary>The density grid (kind: density), the Liberia outline as the admin layer, 3G around Monrovia.</summary>
    private static RunSandbox Liberia()
    {
        RunSandbox box = RunSandbox.Empty();
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields, [(FixtureFiles.Box(-10.9, 6.2, -10.6, 6.5), ["Lonestar"])]);
        box.Population = $"{{ path: '{Raster}', kind: density }}";
        box.Admin = $"{{ path: '{Outline}', id_field: A3, name_field: A3 }}";
        box.WriteConfig();
        return box;
    }

    [Fact]
    public void A_density_grid_gives_density_times_true_cell_area()
    {
        using RunSandbox box = Liberia();

        RunOutputs run = box.ExpectSuccess();

        (RasterGrid grid, double[] people) = PeoplePerCell(Raster);
        RunOutputs.AssertClose(people.Where(double.IsFinite).Sum(), run.Total, 1e-6);
        Assert.InRange(run.Total, 4e6, 6.5e6);
        Assert.Contains(run.Warnings, w => w.Contains("LBR.geojson", StringComparison.Ordinal) && w.Contains("repaired", StringComparison.Ordinal));
        run.AssertConserved();

        // The outline (its invalid ring repaired without losing area) gets the inside share of every cell;
        // coastal cells of ~20 km lie partly at sea, so about a sixth of the people are outside it.
        float[] perCell = [.. people.Select(p => (float)p)];
        double inside = FixtureFiles.ReadGeoJsonPolygons(Outline, lon => lon).Sum(p => FixtureFiles.PeopleIn(grid, perCell, p));
        RunOutputs.AssertClose(inside, run.Unit("LBR", "pop_total"), 1e-6);
    }

    [Fact]
    public void A_density_grid_declared_as_counts_is_refused_with_the_fix()
    {
        using RunSandbox box = Liberia();
        box.KeepPreviousResult();
        box.Population = $"{{ path: '{Raster}', kind: counts }}";
        box.WriteConfig();

        box.ExpectRefused($"{Raster}: declared as counts (people per cell)", "its values look like densities (people per km²)",
            "set kind: density under population in country.yaml");
    }

    /// <summary>
    /// People per cell (NaN for nodata): density × cell area, the areas integrated here on the WGS 84
    /// ellipsoid (Simpson's rule over dA = a²(1−e²)·cosφ / (1−e²·sin²φ)² dφ dλ), independently of the engine.
    /// </summary>
    private static (RasterGrid Grid, double[] People) PeoplePerCell(string path)
    {
        using RasterSource raster = RasterSource.Open(path);
        double[] gt = raster.GeoTransform;
        Assert.Equal(gt[1], -gt[5], 1e-12);
        var grid = new RasterGrid(gt[0], gt[3], gt[1], raster.Width, raster.Height);
        var people = new double[grid.Cells];
        raster.ReadRows(0, raster.Height, people);
        float? noData = raster.NoData is double nd ? (float)nd : null;
        for (int r = 0; r < grid.Rows; r++)
        {
            double area = EllipsoidCellKm2(grid.CellNorth(r + 1), grid.CellNorth(r), grid.CellSize);
            for (int c = 0; c < grid.Columns; c++)
            {
                int i = (r * grid.Columns) + c;
                people[i] = double.IsNaN(people[i]) || (float)people[i] == noData ? double.NaN : people[i] * area;
            }
        }

        return (grid, people);
    }

    private static double EllipsoidCellKm2(double south, double north, double widthDegrees)
    {
        const double a = 6378137.0;
        const double f = 1 / 298.257223563;
        const int steps = 64;
        double e2 = f * (2 - f);
        double Integrand(double phi) => a * a * (1 - e2) * Math.Cos(phi) / Math.Pow(1 - (e2 * Math.Sin(phi) * Math.Sin(phi)), 2);
        double p0 = south * Math.PI / 180, h = (north - south) * Math.PI / 180 / steps;
        double sum = Integrand(p0) + Integrand(p0 + (steps * h));
        for (int i = 1; i < steps; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * Integrand(p0 + (i * h));
        }

        return sum * h / 3 * (widthDegrees * Math.PI / 180) / 1e6;
    }
}
