using System.Globalization;

namespace Ewcm.Engine.Tests.Exactness;

/// <summary>A per-admin CSV keyed by admin_id (the reference or an Ewcm output).</summary>
public sealed class ReferenceCsv
{
    private ReferenceCsv(Dictionary<string, Dictionary<string, double>> rows, string[] columns)
    {
        Rows = rows;
        Columns = columns;
    }

    public Dictionary<string, Dictionary<string, double>> Rows { get; }

    public string[] Columns { get; }

    public static ReferenceCsv Load(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] head = lines[0].Split(',');
        var rows = new Dictionary<string, Dictionary<string, double>>();
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            var values = new Dictionary<string, double>();
            for (int i = 1; i < head.Length; i++)
            {
                if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    values[head[i]] = v;
                }
            }

            rows.Add(cells[0], values);
        }

        return new ReferenceCsv(rows, head);
    }
}
