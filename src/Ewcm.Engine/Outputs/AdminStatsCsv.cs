using System.Globalization;
using System.Text;
using Ewcm.Engine.Overlay;

namespace Ewcm.Engine.Outputs;

/// <summary>
/// admin_stats CSV: one row per admin unit, in the layer's order. The first columns are fixed
/// (admin_id,name,pop_total,pop_2g,pop_3g,pop_4g,pop_uncovered,sdg9c1_2g,sdg9c1_3g,sdg9c1_4g, then
/// pop_5g,sdg9c1_5g when 5G is given); percentages, the best operator and per-operator columns follow,
/// then pop_exposed_&lt;name&gt;,pop_exposed_uncovered_&lt;name&gt; per hazard.
/// </summary>
public static class AdminStatsCsv
{
    public static void Write(string path, OverlayModel model, int level, BandResult totals)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(totals);
        var sb = new StringBuilder();
        var techs = model.TechnologyLevels;
        var head = new List<string> { "admin_id", "name", "pop_total", "pop_2g", "pop_3g", "pop_4g", "pop_uncovered", "sdg9c1_2g", "sdg9c1_3g", "sdg9c1_4g" };
        bool has5G = techs.Count > 3;
        if (has5G)
        {
            head.AddRange(["pop_5g", "sdg9c1_5g"]);
        }

        head.AddRange(techs.Select(t => $"pct_{TechnologyNames.Suffix(t)}"));
        head.Add("pct_uncovered");
        head.AddRange(techs.Select(t => $"sdg9c1_pct_{TechnologyNames.Suffix(t)}"));
        head.AddRange(techs.Select(t => $"sdg9c1_operator_{TechnologyNames.Suffix(t)}"));
        foreach (string op in model.Operators)
        {
            head.AddRange(techs.Select(t => $"pop_{TechnologyNames.Suffix(t)}_{op}"));
        }

        foreach (Hazard hazard in model.Hazards)
        {
            head.AddRange([$"pop_exposed_{hazard.Name}", $"pop_exposed_uncovered_{hazard.Name}"]);
        }

        sb.AppendJoin(',', head.Select(Csv.Quote)).Append('\n');
        AdminLevel lv = model.Levels[level];
        double[] acc = totals.Units[level];
        int stride = totals.Stride;
        for (int u = 0; u < lv.Units.Count; u++)
        {
            var stats = UnitStats.From(model, acc, u * stride);
            var cells = new List<string> { Csv.Quote(lv.Units[u].Id), Csv.Quote(lv.Units[u].Name), Csv.People(stats.Total) };
            cells.AddRange(stats.Covered.Take(3).Select(Csv.People));
            cells.Add(Csv.People(stats.Uncovered));
            cells.AddRange(stats.Sdg.Take(3).Select(Csv.People));
            if (has5G)
            {
                cells.Add(Csv.People(stats.Covered[3]));
                cells.Add(Csv.People(stats.Sdg[3]));
            }

            cells.AddRange(stats.Covered.Select(c => Csv.Percent(c, stats.Total)));
            cells.Add(Csv.Percent(stats.Uncovered, stats.Total));
            cells.AddRange(stats.Sdg.Select(c => Csv.Percent(c, stats.Total)));
            cells.AddRange(stats.SdgOperator.Select(o => Csv.Quote(o ?? string.Empty)));
            foreach (double[] perOp in stats.PerOperator)
            {
                cells.AddRange(perOp.Select(Csv.People));
            }

            for (int h = 0; h < model.Hazards.Count; h++)
            {
                int at = (u * stride) + totals.HazardIndex(h);
                cells.Add(Csv.People(acc[at]));
                cells.Add(Csv.People(acc[at + 1]));
            }

            sb.AppendJoin(',', cells).Append('\n');
        }

        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }
}

/// <summary>The figures of one area (an admin unit or the country) derived from the raw sums.</summary>
public sealed record UnitStats(double Total, double[] Covered, double Uncovered, double[] Sdg, string?[] SdgOperator, double[][] PerOperator)
{
    /// <summary>Reads a unit's sums: values[offset] = people, values[offset + 1 + m] = people in mask m.</summary>
    public static UnitStats From(OverlayModel model, IReadOnlyList<double> values, int offset)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(values);
        int nt = model.TechnologyLevels.Count;
        double total = values[offset];
        var covered = new double[nt];
        var sdg = new double[nt];
        var sdgOp = new string?[nt];
        var perOp = new double[model.Operators.Count][];
        for (int o = 0; o < perOp.Length; o++)
        {
            perOp[o] = new double[nt];
        }

        for (int t = 0; t < nt; t++)
        {
            covered[t] = values[offset + 1 + t];
            for (int o = 0; o < model.Operators.Count; o++)
            {
                double v = values[offset + 1 + model.OperatorMask(o, t)];
                perOp[o][t] = v;
                // The SDG 9.c.1 convention: the best single operator; ties go to the first by name.
                if (v > sdg[t])
                {
                    sdg[t] = v;
                    sdgOp[t] = model.Operators[o];
                }
            }
        }

        return new UnitStats(total, covered, total - covered[0], sdg, sdgOp, perOp);
    }
}

/// <summary>Invariant, fixed-precision CSV formatting (byte-identical output for identical sums).</summary>
internal static class Csv
{
    public static string People(double v) => Clean(v).ToString("F6", CultureInfo.InvariantCulture);

    public static string Percent(double part, double whole) =>
        whole > 0 ? Clean(100 * part / whole).ToString("F4", CultureInfo.InvariantCulture) : string.Empty;

    public static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>Avoids "-0.000000" from rounding noise around zero.</summary>
    private static double Clean(double v) => Math.Abs(v) < 5e-7 ? 0 : v;
}
