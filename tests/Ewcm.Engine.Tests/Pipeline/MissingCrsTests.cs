using Ewcm.Engine.Tests.Cli;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>Inputs whose coordinates have no declared CRS cannot be overlaid: the error says how to assign one.</summary>
[Collection(ConsoleCapture.Name)]
public class MissingCrsTests
{
    [Fact]
    public void A_population_raster_without_crs_is_refused()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        box.KeepPreviousResult();
        FixtureFiles.WriteRaster(box.Input("pop.tif"), RunSandbox.Grid, RunSandbox.DefaultPopulation, crsWkt: "");

        box.ExpectRefused($"{box.Input("pop.tif")}: the population raster has no coordinate reference system", "gdal_edit.py -a_srs EPSG:4326");
    }

    [Fact]
    public void A_shapefile_without_prj_is_refused()
    {
        using RunSandbox box = RunSandbox.WithDefaults();
        FixtureFiles.WriteLayer(box.Input("admin.shp"), "admin", FixtureFiles.AdminFields,
            [(RunSandbox.West, ["TS01", "West"]), (RunSandbox.East, ["TS02", "East"])]);
        box.Admin = "{ path: admin.shp, id_field: pcode, name_field: name }";
        box.WriteConfig();
        box.KeepPreviousResult();
        File.Delete(box.Input("admin.prj"));

        box.ExpectRefused($"{box.Input("admin.shp")}, layer 'admin': the layer has no coordinate reference system",
            "ogr2ogr -a_srs", "the .prj file next to the .shp is missing");
    }
}
