using System.CommandLine;
using System.Globalization;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Pipeline;

namespace Ewcm.Cli.Commands;

/// <summary>
/// Hidden `ewcm floor country.yaml`: decode the population raster and sum it, as `run` reads it, to
/// measure the floor that benchmarks compare a run against.
/// </summary>
public static class FloorCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("country.yaml") { Description = "The run whose population raster is decoded." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = every core).", DefaultValueFactory = _ => 0 };
        var command = new Command("floor", "Decode the population raster and sum it (benchmark floor).") { config, threads };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            try
            {
                CountryConfig c = CountryConfigLoader.Load(parse.GetValue(config)!.FullName);
                int n = parse.GetValue(threads);
                DecodeFloor.Result r = DecodeFloor.Measure(c.Population, n == 0 ? Environment.ProcessorCount : n);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"sum {r.Total:F6} valid_cells {r.ValidCells} cells {r.Cells} seconds {r.Seconds:F3} cells_per_second {r.Cells / r.Seconds:E3}"));
                return ExitCodes.Ok;
            }
            catch (EwcmException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });
        return command;
    }
}
