using System.Globalization;
using Ewcm.Bench.Coverage;
using Ewcm.Bench.Data;
using System.Text;
using Ewcm.Bench.Reduction;
using Ewcm.Bench.Zones;
using Ewcm.Engine.Coverage;
using Ewcm.Engine.Outputs;
using Ewcm.Engine.Overlay;
using Ewcm.Engine.Pipeline;
using Ewcm.Engine.Zones;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Ewcm.Bench;

/// <summary>
/// Checks run before any measurement: a benchmark of a wrong answer is worthless, so a failed check
/// throws and the run stops (BenchmarkDotNet then reports the case as failed and Program exits with 1).
/// Every check compares the engine with something computed independently of it: the values the setup
/// wrote, NetTopologySuite's exact geometry, or a plain sum.
/// </summary>
public static class Validation
{
    private static readonly GeometryFactory F = new();

    /// <summary>Runs the kernel on a small synthetic country and compares every sum with NTS brute force.</summary>
    public static void CheckKernelAgainstOracle()
    {
        var c = new SyntheticCountry(40, seed: 7, adminPerSide: 3, discsPerLayer: 4);
        var model = c.Model;
        var edges = new EdgeBuckets(model.AllGeometries(), c.Size, 16);
        var processor = new BandProcessor(model, edges);
        BandResult total = KernelRun.InBandOrder(processor, model, c.Population, c.Size, 16);

        for (int u = 0; u < model.Levels[0].Units.Count; u++)
        {
            Geometry a = model.Levels[0].Units[u].GridGeometry;
            for (int m = -1; m < model.Masks.Count; m++)
            {
                Geometry g = m < 0 ? a : a.Intersection(MaskGeometry(model, m));
                double expected = 0;
                for (int r = 0; r < c.Size; r++)
                {
                    for (int col = 0; col < c.Size; col++)
                    {
                        float v = c.Population[(r * c.Size) + col];
                        if (!float.IsNaN(v) && v != 0)
                        {
                            expected += v * F.ToGeometry(new Envelope(col, col + 1, r, r + 1)).Intersection(g).Area;
                        }
                    }
                }

                double actual = total.Units[0][(u * total.Stride) + 1 + m];
                if (Math.Abs(actual - expected) > 1e-8 * Math.Max(1, expected))
                {
                    throw new InvalidOperationException($"Kernel disagrees with the oracle: unit {u}, mask {m}: {actual} vs {expected}.");
                }
            }
        }
    }

    /// <summary>The mask as one polygon: the NTS union of its atoms (the engine never forms it).</summary>
    private static Geometry MaskGeometry(OverlayModel model, int mask) =>
        UnaryUnionOp.Union(model.Masks[mask].Atoms.Select(a => model.Atoms[a].GridGeometry).ToList()) ?? F.CreatePolygon();

    /// <summary>A reused processor gives the same sums, to the last bit, as on its first bands.</summary>
    public static void CheckSameSums(BandResult a, BandResult b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Units[0].AsSpan().SequenceEqual(b.Units[0]) || !a.NationalCovered.AsSpan().SequenceEqual(b.NationalCovered)
            || a.ValidPopulation != b.ValidPopulation)
        {
            throw new InvalidOperationException("The kernel's sums changed between two runs over the same bands.");
        }
    }

    /// <summary>Nothing lost or counted twice: the units' people add up to the valid population.</summary>
    public static void CheckConservation(SyntheticCountry country, BandResult result)
    {
        double units = 0;
        for (int u = 0; u < country.Model.Levels[0].Units.Count; u++)
        {
            units += result.Units[0][u * result.Stride];
        }

        double valid = country.Population.Where(v => !float.IsNaN(v)).Sum(v => (double)v);
        if (Math.Abs(units + result.OutsideAdmin[0] - valid) > 1e-9 * valid || Math.Abs(result.OutsideAdmin[0]) > 1e-6 * valid)
        {
            throw new InvalidOperationException($"Conservation failed: units {units}, outside {result.OutsideAdmin[0]}, valid {valid}.");
        }
    }
    /// <summary>
    /// Decode: the floor's total and valid-cell count equal those of the values the setup wrote (nodata
    /// excluded), summed here in plain row-major order.
    /// </summary>
    public static void CheckDecode(DecodeFloor.Result result, float[] written)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(written);
        double expected = 0;
        long valid = 0;
        foreach (float v in written)
        {
            if (!float.IsNaN(v))
            {
                expected += v;
                valid++;
            }
        }

        if (result.Cells != written.Length || result.ValidCells != valid || Math.Abs(result.Total - expected) > 1e-10 * expected)
        {
            throw new InvalidOperationException(
                $"Decode disagrees with the written raster: {result.ValidCells} of {result.Cells} cells valid, total {result.Total}; expected {valid} of {written.Length}, total {expected}.");
        }

        Console.WriteLine($"// checked: decode total and {valid} valid cells of {written.Length} match the values written");
    }

    /// <summary>
    /// Rasterization: per geometry, the covered fractions summed over every band equal the NTS area of
    /// the geometry within the grid; and on sampled cells (per band and geometry: 12 cells across one row
    /// of its envelope, inside and outside it, and up to 4 cells on its boundary) each fraction equals
    /// the NTS area of cell ∩ geometry.
    /// </summary>
    public static void CheckRasterization(RasterizeBenchmarks suite, Geometry[] geometries, int size)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(geometries);
        var grid = F.ToGeometry(new Envelope(0, size, 0, size));
        var area = new double[geometries.Length];
        var rng = new Random(5);
        long sampled = 0, partial = 0;
        for (int b = 0; b < suite.BandCount; b++)
        {
            suite.RasterizeBand(b);
            foreach ((int id, BandCoverage cov) in suite.CoverageIn(b))
            {
                for (int k = 0; k < cov.SpanCount; k++)
                {
                    area[id] += (cov.End[k] - cov.Start[k]) * cov.Value[k];
                }

                Envelope e = geometries[id].EnvelopeInternal;
                int rowLo = Math.Max(cov.Row0, (int)Math.Floor(e.MinY)), rowHi = Math.Min(cov.Row0 + cov.Rows, (int)Math.Ceiling(e.MaxY));
                if (rowHi <= rowLo)
                {
                    continue;
                }

                // Cells across one row of the geometry, then cells on its boundary (points along random edges).
                var sample = new List<(int Row, int Col)>();
                int across = rng.Next(rowLo, rowHi);
                int c0 = Math.Max(0, (int)Math.Floor(e.MinX) - 1), c1 = Math.Min(size, (int)Math.Ceiling(e.MaxX) + 1);
                for (int s = 0; s < 12; s++)
                {
                    sample.Add((across, s < 2 ? (s == 0 ? c0 : c1 - 1) : rng.Next(c0, c1)));
                }

                Coordinate[] ring = geometries[id].Coordinates;
                for (int s = 0; s < 40 && sample.Count < 16; s++)
                {
                    int i = rng.Next(ring.Length - 1);
                    double t = rng.NextDouble();
                    double x = ring[i].X + (t * (ring[i + 1].X - ring[i].X)), y = ring[i].Y + (t * (ring[i + 1].Y - ring[i].Y));
                    if (y >= cov.Row0 && y < cov.Row0 + cov.Rows && x >= 0 && x < size)
                    {
                        sample.Add(((int)y, (int)x));
                    }
                }

                foreach ((int row, int col) in sample)
                {
                    double actual = FractionAt(cov, row - cov.Row0, col);
                    double expected = F.ToGeometry(new Envelope(col, col + 1, row, row + 1)).Intersection(geometries[id]).Area;
                    if (Math.Abs(actual - expected) > 1e-9)
                    {
                        throw new InvalidOperationException($"Rasterization disagrees with NTS: geometry {id}, cell (row {row}, column {col}): {actual} vs {expected}.");
                    }

                    sampled++;
                    partial += actual is > 0 and < 1 ? 1 : 0;
                }
            }
        }

        for (int id = 0; id < geometries.Length; id++)
        {
            double expected = geometries[id].Intersection(grid).Area;
            if (Math.Abs(area[id] - expected) > (1e-9 * expected) + 1e-6)
            {
                throw new InvalidOperationException($"Rasterization loses area: geometry {id} sums to {area[id]} cells, NTS gives {expected}.");
            }
        }

        if (partial == 0 || partial == sampled)
        {
            throw new InvalidOperationException($"The cell sample is degenerate ({partial} partial cells of {sampled}): it must hold partial and whole or empty cells.");
        }

        Console.WriteLine($"// checked: areas of {geometries.Length} geometries, fractions of {sampled} sampled cells ({partial} partial) against NTS");
    }

    /// <summary>The fraction of cell (bandRow, col) in <paramref name="cov"/>: the span holding it, else 0.</summary>
    private static double FractionAt(BandCoverage cov, int bandRow, int col)
    {
        for (int k = cov.RowOffsets[bandRow]; k < cov.RowOffsets[bandRow + 1]; k++)
        {
            if (cov.Start[k] <= col && col < cov.End[k])
            {
                return cov.Value[k];
            }
        }

        return 0;
    }

    /// <summary>
    /// Kernel on the benchmark's own country: the kernel runs again on a population that is zero except
    /// on sampled cells (random cells, and cells where an admin boundary crosses a coverage boundary, the
    /// hardest case), and every unit × mask sum, and every national mask sum, must equal the sampled
    /// people times the NTS area of cell ∩ unit ∩ mask. Masks are clipped to the cell before the NTS
    /// union of their atoms, which keeps the oracle fast.
    /// </summary>
    public static void CheckKernelOnSampledCells(SyntheticCountry country, BandResult benchmarkResult)
    {
        ArgumentNullException.ThrowIfNull(country);
        ArgumentNullException.ThrowIfNull(benchmarkResult);
        OverlayModel model = country.Model;
        int size = country.Size;
        var rng = new Random(3);
        var cells = new HashSet<(int Row, int Col)>();
        while (cells.Count < 200)
        {
            cells.Add((rng.Next(size), rng.Next(size)));
        }

        var units = model.Levels[0].Units;
        int crossings = 0;
        foreach (CoverageAtom atom in model.Atoms)
        {
            foreach (AdminUnit unit in units.Where(u => u.GridGeometry.EnvelopeInternal.Intersects(atom.GridGeometry.EnvelopeInternal)))
            {
                foreach (Coordinate p in unit.GridGeometry.Boundary.Intersection(atom.GridGeometry.Boundary).Coordinates.Take(2))
                {
                    if (p.X >= 0 && p.X < size && p.Y >= 0 && p.Y < size && cells.Add(((int)p.Y, (int)p.X)))
                    {
                        crossings++;
                    }
                }
            }
        }

        if (crossings < 50)
        {
            throw new InvalidOperationException($"Only {crossings} cells where admin and coverage edges cross: the sample does not test the exact clipping.");
        }

        var population = new float[size * size];
        var people = new Dictionary<(int Row, int Col), float>();
        foreach ((int row, int col) in cells)
        {
            float v = (float)(1 + (9 * rng.NextDouble()));
            population[(row * size) + col] = v;
            people[(row, col)] = v;
        }

        var edges = new EdgeBuckets(model.AllGeometries(), size, 256);
        var processor = new BandProcessor(model, edges);
        BandResult total = KernelRun.InBandOrder(processor, model, population, size, 256);

        if (total.ExactCells == 0)
        {
            throw new InvalidOperationException("No cell was clipped exactly: the sample misses the kernel's hardest case.");
        }

        var expected = new double[units.Count * total.Stride];
        var national = new double[model.Masks.Count];
        foreach (((int row, int col), float v) in people)
        {
            Geometry cell = F.ToGeometry(new Envelope(col, col + 1, row, row + 1));
            var masks = new Geometry[model.Masks.Count];
            for (int m = 0; m < masks.Length; m++)
            {
                var pieces = model.Masks[m].Atoms.Select(a => model.Atoms[a].GridGeometry)
                    .Where(g => g.EnvelopeInternal.Intersects(cell.EnvelopeInternal))
                    .Select(g => g.Intersection(cell)).Where(g => !g.IsEmpty).ToList();
                masks[m] = pieces.Count == 0 ? F.CreatePolygon() : UnaryUnionOp.Union(pieces);
                national[m] += v * masks[m].Area;
            }

            for (int u = 0; u < units.Count; u++)
            {
                if (!units[u].GridGeometry.EnvelopeInternal.Intersects(cell.EnvelopeInternal))
                {
                    continue;
                }

                Geometry inUnit = units[u].GridGeometry.Intersection(cell);
                expected[u * total.Stride] += v * inUnit.Area;
                for (int m = 0; m < masks.Length; m++)
                {
                    expected[(u * total.Stride) + 1 + m] += v * (masks[m].IsEmpty ? 0 : inUnit.Intersection(masks[m]).Area);
                }
            }
        }

        for (int i = 0; i < expected.Length; i++)
        {
            Compare("unit entry " + i.ToString(CultureInfo.InvariantCulture), total.Units[0][i], expected[i]);
        }

        for (int m = 0; m < national.Length; m++)
        {
            Compare("national mask " + m.ToString(CultureInfo.InvariantCulture), total.NationalCovered[m], national[m]);
        }

        static void Compare(string what, double actual, double expected)
        {
            if (Math.Abs(actual - expected) > 1e-9 * Math.Max(1, expected))
            {
                throw new InvalidOperationException($"Kernel disagrees with the NTS oracle on sampled cells: {what}: {actual} vs {expected}.");
            }
        }

        Console.WriteLine($"// checked: kernel on {cells.Count} sampled cells ({crossings} where admin and coverage edges cross; {total.ExactCells} exact clippings) against NTS");
    }

    /// <summary>
    /// Reduction: every total equals the plain sum, in band order, of the bands' values; and the table has
    /// one row per unit in order whose people columns are those totals (pop_uncovered = total − 2G,
    /// sdg9c1 = the best operator's figure), as printed with 6 decimals.
    /// </summary>
    public static void CheckReduction(ReductionBenchmarks suite, string csvPath)
    {
        ArgumentNullException.ThrowIfNull(suite);
        OverlayModel model = suite.Model;
        BandResult totals = suite.Totals;
        double[] sum = new double[totals.Units[0].Length];
        foreach (BandResult band in suite.Bands)
        {
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += band.Units[0][i];
            }
        }

        for (int i = 0; i < sum.Length; i++)
        {
            if (Math.Abs(totals.Units[0][i] - sum[i]) > 1e-12 * Math.Max(1, sum[i]))
            {
                throw new InvalidOperationException($"Reduction disagrees with the plain sum: entry {i}: {totals.Units[0][i]} vs {sum[i]}.");
            }
        }

        string[] lines = File.ReadAllLines(csvPath);
        string[] head = lines[0].Split(',');
        var units = model.Levels[0].Units;
        if (lines.Length != units.Count + 1)
        {
            throw new InvalidOperationException($"{csvPath} has {lines.Length - 1} rows for {units.Count} units.");
        }

        int stride = totals.Stride;
        for (int u = 0; u < units.Count; u++)
        {
            string[] cells = lines[u + 1].Split(',');
            double Column(string name) => double.Parse(cells[Array.IndexOf(head, name)], CultureInfo.InvariantCulture);
            int o = u * stride;
            var expected = new List<(string Column, double Value)>
            {
                ("pop_total", sum[o]),
                ("pop_uncovered", sum[o] - sum[o + 1]),
            };
            for (int t = 0; t < model.TechnologyLevels.Count; t++)
            {
                string suffix = TechnologyNames.Suffix(model.TechnologyLevels[t]);
                expected.Add(($"pop_{suffix}", sum[o + 1 + t]));
                expected.Add(($"sdg9c1_{suffix}", Enumerable.Range(0, model.Operators.Count).Max(op => sum[o + 1 + model.OperatorMask(op, t)])));
            }

            if (cells[0] != units[u].Id)
            {
                throw new InvalidOperationException($"{csvPath} row {u + 1} is unit {cells[0]}, expected {units[u].Id}.");
            }

            foreach ((string column, double value) in expected)
            {
                if (Math.Abs(Column(column) - value) > 5.01e-7 + (1e-12 * value))
                {
                    throw new InvalidOperationException($"{csvPath} row {u + 1}, {column}: {Column(column)}, expected {value}.");
                }
            }
        }

        Console.WriteLine($"// checked: {sum.Length} totals against plain sums of {suite.Bands.Length} bands, {units.Count} table rows");
    }

    /// <summary>
    /// Zone labelling on <see cref="ZoneBenchmarks"/>' synthetic grid: the zone count of its layout (one
    /// zone per 6 × 6 island that fits left of the two last columns, plus the snake); conservation (the
    /// zones' people and the set's uncovered total both equal the plain sum of the uncovered values);
    /// sampled zones traced into valid polygons whose area is their cell count; and the polygons of every
    /// zone (the <see cref="ZoneBenchmarks.Polygons"/> benchmark's answer) cover exactly the uncovered cells.
    /// </summary>
    public static void CheckZoneLabels(ZoneBenchmarks suite, ZoneSet set)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(set);
        int size = ZoneBenchmarks.Size, pitch = ZoneBenchmarks.Pitch;
        int perRow = (size - 2 + (pitch - 6)) / pitch;
        int perColumn = (size + (pitch - 6)) / pitch;
        int expected = (perRow * perColumn) + 1;
        if (set.Count != expected)
        {
            throw new InvalidOperationException($"Expected {expected} zones, got {set.Count}.");
        }

        double[] uncovered = suite.Uncovered;
        double total = uncovered.Sum();
        double zones = Enumerable.Range(0, set.Count).Sum(set.People);
        if (Math.Abs(zones - total) > 1e-9 * total || Math.Abs(set.AllUncovered - total) > 1e-9 * total)
        {
            throw new InvalidOperationException($"Conservation failed: zones {zones}, all {set.AllUncovered}, expected {total}.");
        }

        foreach (int z in new[] { 0, 1, set.Count / 2, set.Count - 1 })
        {
            Geometry g = ZoneTracer.Trace(set.RunsOf(z), F);
            if (!g.IsValid || g.Area != set.Cells(z))
            {
                throw new InvalidOperationException($"Zone {z}: polygon valid {g.IsValid}, area {g.Area} for {set.Cells(z)} cells.");
            }
        }

        double area = suite.Polygons();
        int cells = uncovered.Count(v => v > 0);
        if (area != cells)
        {
            throw new InvalidOperationException($"The polygons' area is {area}, not the {cells} zone cells.");
        }

        Console.WriteLine($"// checked: {set.Count} zones, conservation of {total} people, polygons of {cells} cells");
    }

    /// <summary>
    /// The blank-zone stage on a real country: conservation against the overlay (people in the listed
    /// zones + scattered people = every uncovered person = the national uncovered of the overlay's totals,
    /// total − at least 2G, each to 1e-9 relative; and the listed zones' own people add up to the report's
    /// figure); at least one zone listed; blank_zones.csv holds one row per listed zone, in rank order,
    /// whose people add up to the same figure (to the printed 6 decimals); the GeoJSON and GeoPackage exist.
    /// </summary>
    public static void CheckBlankZoneStage(OverlayModel model, BandResult totals, BlankZoneReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(report);
        double[] national = [totals.ValidPopulation, .. totals.NationalCovered];
        double uncovered = UnitStats.From(model, national, 0).Uncovered;
        void Same(string what, double actual, double expected)
        {
            if (Math.Abs(actual - expected) > 1e-9 * Math.Max(1, Math.Abs(expected)))
            {
                throw new InvalidOperationException($"Blank zones: {what}: {actual.ToString("R", CultureInfo.InvariantCulture)} vs {expected.ToString("R", CultureInfo.InvariantCulture)}.");
            }
        }

        Same("listed + scattered people vs the overlay's national uncovered", report.PeopleInZones + report.ScatteredPeople, uncovered);
        Same("all uncovered vs the overlay's national uncovered", report.AllUncovered, uncovered);
        Same("the listed zones' people vs people in zones", report.Zones.Sum(z => z.People), report.PeopleInZones);
        if (report.Zones.Count == 0)
        {
            throw new InvalidOperationException("Blank zones: no zone listed; the benchmark would measure nothing of the zones' description and files.");
        }

        string csv = Path.Combine(folder, "blank_zones.csv");
        List<string[]> rows = CsvRecords(File.ReadAllText(csv, Encoding.UTF8));
        int people = Array.IndexOf(rows[0], "people"), rank = Array.IndexOf(rows[0], "rank");
        if (rows.Count - 1 != report.Zones.Count || people < 0 || rank < 0)
        {
            throw new InvalidOperationException($"{csv}: {rows.Count - 1} rows (people column {people}) for {report.Zones.Count} listed zones.");
        }

        double csvPeople = 0;
        for (int i = 1; i < rows.Count; i++)
        {
            if (rows[i].Length != rows[0].Length || rows[i][rank] != i.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{csv}: row {i} has {rows[i].Length} fields for {rows[0].Length} columns, or rank {rows[i][rank]}.");
            }

            csvPeople += double.Parse(rows[i][people], CultureInfo.InvariantCulture);
        }

        if (Math.Abs(csvPeople - report.PeopleInZones) > (5.01e-7 * report.Zones.Count) + (1e-12 * report.PeopleInZones))
        {
            throw new InvalidOperationException($"{csv}: the people column adds up to {csvPeople}, the report to {report.PeopleInZones}.");
        }

        foreach (string file in new[] { "blank_zones.geojson", "blank_zones.gpkg" })
        {
            var info = new FileInfo(Path.Combine(folder, file));
            if (!info.Exists || info.Length == 0)
            {
                throw new InvalidOperationException($"{info.FullName} is missing or empty.");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// checked: {report.Zones.Count} listed zones ({report.PeopleInZones:F1} people) + {report.ScatteredPeople:F1} scattered = national uncovered {uncovered:F1}; {rows.Count - 1} CSV rows"));
    }

    /// <summary>The records of an RFC 4180 text (quoted fields may hold commas, quotes and line breaks).</summary>
    private static List<string[]> CsvRecords(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
