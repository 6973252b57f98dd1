using System.Globalization;
using System.Text.Json;

namespace Ewcm.Engine.Tests.Pipeline;

/// <summary>The summary.json and admin_stats.csv of a finished run.</summary>
internal sealed class RunOutputs
{
    private RunOutputs(string folder, JsonElement summary, Dictionary<string, Dictionary<string, string>> units)
    {
        Folder = folder;
        Summary = summary;
        Units = units;
    }

    /// <summary>DIR/&lt;ISO3&gt;.</summary>
    public string Folder { get; }

    public JsonElement Summary { get; }

    /// <summary>admin_stats.csv rows by admin_id: column → text.</summary>
    public Dictionary<string, Dictionary<string, string>> Units { get; }

    public double Total => Summary.GetProperty("population").GetProperty("total").GetDouble();

    public long ValidCells => Summary.GetProperty("population").GetProperty("valid_cells").GetInt64();

    public double OutsideUnits => AdminLevel.GetProperty("population_outside_units").GetDouble();

    public double InUnits => AdminLevel.GetProperty("population_in_units").GetDouble();

    public IReadOnlyList<string> Warnings => [.. Summary.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)];

    private JsonElement AdminLevel => Summary.GetProperty("admin_levels")[0];

    public static RunOutputs Read(string folder)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        string[] lines = File.ReadAllLines(Path.Combine(folder, "admin_stats.csv"));
        string[] head = lines[0].Split(',');
        var units = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(1))
        {
            // The fixtures' ids and names hold no commas or quotes, so a plain split is exact.
            string[] cells = line.Split(',');
            units[cells[0]] = head.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }

        return new RunOutputs(folder, doc.RootElement.Clone(), units);
    }

    /// <summary>A number column of one unit's row.</summary>
    public double Unit(string id, string column) => double.Parse(Units[id][column], CultureInfo.InvariantCulture);

    /// <summary>National people covered by "at least <paramref name="technology"/>" (e.g. "3G").</summary>
    public double NationalCovered(string technology) => Summary.GetProperty("national").GetProperty("levels").EnumerateArray()
        .Single(l => l.GetProperty("technology").GetString() == $"at least {technology}").GetProperty("covered").GetDouble();

    /// <summary>Σ of admin_stats.csv's pop_total over every unit.</summary>
    public double SumOfUnits => Units.Keys.Sum(id => Unit(id, "pop_total"));

    /// <summary>Nothing is lost or counted twice: Σ units + people outside every unit = the population total.</summary>
    public void AssertConserved(double relative = 1e-9)
    {
        AssertClose(Total, SumOfUnits + OutsideUnits, relative);
        AssertClose(Total, InUnits + OutsideUnits, relative);
    }

    public static void AssertClose(double expected, double actual, double relative)
    {
        double error = Math.Abs(actual - expected);
        Assert.True(error <= relative * Math.Abs(expected),
            string.Create(CultureInfo.InvariantCulture, $"expected {expected:R}, got {actual:R} (relative error {error / Math.Abs(expected):G3}, allowed {relative:G3})"));
    }
}
