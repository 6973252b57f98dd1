using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ewcm.Engine.Diagnostics;
using Ewcm.Engine.Inputs;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using Spectre.Console;

namespace Ewcm.Cli.Commands;

/// <summary>`ewcm run country.yaml [--out DIR]`.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<FileInfo>("country.yaml") { Description = "The run description (see data/samples/sle/country.yaml)." };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Output folder; the results go to DIR/<ISO3>/.",
            DefaultValueFactory = _ => new DirectoryInfo("out"),
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Worker threads (0 = every core). Results are identical for any value.",
            DefaultValueFactory = _ => 0,
        };
        var noRasters = new Option<bool>("--no-rasters") { Description = "Skip the GeoTIFF outputs (tables only)." };
        var command = new Command("run", "Compute coverage and uncovered population of one country from its country.yaml.")
        {
            config, output, threads, noRasters,
        };
        command.SetAction(parse => Execute(
            parse.GetValue(config)!, parse.GetValue(output)!, parse.GetValue(threads), !parse.GetValue(noRasters)));
        return command;
    }

    private static int Execute(FileInfo configFile, DirectoryInfo output, int threads, bool rasters)
    {
        var wall = Stopwatch.StartNew();
        try
        {
            if (threads < 0)
            {
                throw new InputException($"--threads must be 0 (every core) or more, not {threads}.");
            }

            CountryConfig config = CountryConfigLoader.Load(configFile.FullName);
            var options = new RunOptions(output.FullName, threads, writeRasters: rasters);
            RunResult result = CountryRun.Execute(config, options, line => Console.Error.WriteLine(line));
            PrintSummary(config, result);
            foreach (string w in result.Warnings)
            {
                Console.Error.WriteLine($"warning: {w}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {result.OutputFolder} in {wall.Elapsed.TotalSeconds:F2} s (wall time)."));
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is EwcmException or IOException or UnauthorizedAccessException)
        {
            // Plain text, never wrapped or coloured: messages carry paths that must survive logs.
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }
    }

    private static void PrintSummary(CountryConfig config, RunResult result)
    {
        OverlayModel model = result.Model;
        BandResult totals = result.Totals;
        var national = new double[1 + model.Masks.Count];
        national[0] = totals.ValidPopulation;
        Array.Copy(totals.NationalCovered, 0, national, 1, model.Masks.Count);
        var stats = UnitStats.From(model, national, 0);
        var table = new Table().Title($"{config.Name} ({config.Iso3}): population {stats.Total:N0}")
            .AddColumns("Level", "Covered (union)", "%", "SDG 9.c.1 (best operator)", "%", "Best operator");
        for (int t = 0; t < model.TechnologyLevels.Count; t++)
        {
            table.AddRow(
                $"at least {TechnologyNames.Label(model.TechnologyLevels[t])}",
                Format(stats.Covered[t]), Pct(stats.Covered[t], stats.Total),
                Format(stats.Sdg[t]), Pct(stats.Sdg[t], stats.Total),
                Markup.Escape(stats.SdgOperator[t] ?? "-"));
        }

        table.AddRow("[bold]uncovered[/]", $"[bold]{Format(stats.Uncovered)}[/]", $"[bold]{Pct(stats.Uncovered, stats.Total)}[/]", string.Empty, string.Empty, string.Empty);
        AnsiConsole.Write(table);
    }

    private static string Format(double people) => people.ToString("N0", CultureInfo.InvariantCulture);

    private static string Pct(double part, double whole) =>
        whole > 0 ? (100 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + " %" : "-";
}
