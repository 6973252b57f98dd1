using Ewcm.Engine.Tests.Cli;
using NetTopologySuite.Geometries;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>
/// Self-intersecting ("bow-tie") admin and coverage polygons: the run repairs them keeping all of their
/// area, says so, and loses no one.
/// </summary>
[Collection(ConsoleCapture.Name)]
public class InvalidGeometryTests
{
    [Fact]
    public void Bow_tie_admin_and_coverage_polygons_are_repaired_with_a_warning_and_totals_are_conserved()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.WriteAdmin(("TS01", FixtureFiles.BowTie(10.05, 0.05, 10.95, 1.95)), ("TS02", RunSandbox.East));
        FixtureFiles.WriteLayer(box.Input("coverage.gpkg"), "cov_3g", FixtureFiles.OperatorFields,
            [(FixtureFiles.BowTie(10.25, 0.45, 11.55, 1.55), ["OpA"])]);
        Assert.False(FixtureFiles.BowTie(10.05, 0.05, 10.95, 1.95).IsValid);

        RunOutputs run = box.ExpectSuccess();

        Assert.Contains(run.Warnings, w => w.StartsWith("admin.gpkg, layer 'districts': 1 invalid polygon(s)", StringComparison.Ordinal) && w.Contains("repaired", StringComparison.Ordinal));
        Assert.Contains(run.Warnings, w => w.StartsWith("coverage.gpkg, layer 'cov_3g': 1 invalid polygon(s)", StringComparison.Ordinal) && w.Contains("repaired", StringComparison.Ordinal));
        run.AssertConserved();
        RunOutputs.AssertClose(FixtureFiles.Sum(RunSandbox.DefaultPopulation), run.Total, 1e-9);

        // The repair keeps both triangles of each bow-tie: check against the cell-by-cell oracle.
        float[] pop = RunSandbox.DefaultPopulation;
        Geometry adminTriangles = FixtureFiles.BowTieTriangles(10.05, 0.05, 10.95, 1.95);
        Geometry coverageTriangles = FixtureFiles.BowTieTriangles(10.25, 0.45, 11.55, 1.55);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, pop, adminTriangles), run.Unit("TS01", "pop_total"), 1e-9);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, pop, coverageTriangles), run.NationalCovered("3G"), 1e-9);
        RunOutputs.AssertClose(FixtureFiles.PeopleIn(RunSandbox.Grid, pop, adminTriangles.Intersection(coverageTriangles)), run.Unit("TS01", "pop_3g"), 1e-9);
    }
}
