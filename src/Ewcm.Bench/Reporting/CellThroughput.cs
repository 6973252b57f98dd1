using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Parameters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Ewcm.Bench.Reporting;

/// <summary>
/// A suite whose every invocation processes a known number of grid cells. The count may depend on the
/// suite's [Params], so it is an instance property that must not need [GlobalSetup]: the columns below
/// compute it in the host process on a fresh instance with the parameters set.
/// </summary>
public interface ICellCounted
{
    /// <summary>Grid cells processed by one invocation of a benchmark method.</summary>
    long CellsPerInvoke { get; }
}

/// <summary>
/// Adds "Cells", "ns/cell" and "Mcells/s" to a suite's table. BenchmarkDotNet's own OperationsPerInvoke
/// would give a per-cell Mean too, but it must be a constant and our cell counts follow the [Params];
/// so the Mean stays per invocation (with [MemoryDiagnoser]'s allocations per invocation) and these
/// columns divide it by the cell count.
/// </summary>
public sealed class CellThroughputConfig : ManualConfig
{
    public CellThroughputConfig()
    {
        AddColumn(new CellColumn(CellColumn.Kind.Cells), new CellColumn(CellColumn.Kind.NanosecondsPerCell), new CellColumn(CellColumn.Kind.MegacellsPerSecond));
    }
}

/// <summary>One of the per-cell columns (see <see cref="CellThroughputConfig"/>).</summary>
public sealed class CellColumn(CellColumn.Kind kind) : IColumn
{
    public enum Kind
    {
        Cells,
        NanosecondsPerCell,
        MegacellsPerSecond,
    }

    public string Id => $"{nameof(CellColumn)}.{kind}";

    public string ColumnName => kind switch
    {
        Kind.Cells => "Cells",
        Kind.NanosecondsPerCell => "ns/cell",
        _ => "Mcells/s",
    };

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)kind;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => kind switch
    {
        Kind.Cells => "Grid cells processed per invocation",
        Kind.NanosecondsPerCell => "Mean time per invocation divided by the cells per invocation",
        _ => "Millions of grid cells processed per second (cells per invocation / Mean)",
    };

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        long? cells = CellsOf(benchmarkCase);
        if (cells is null)
        {
            return "-";
        }

        if (kind == Kind.Cells)
        {
            return cells.Value.ToString("N0", CultureInfo.InvariantCulture);
        }

        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is not double ns || ns <= 0)
        {
            return "NA";
        }

        return kind == Kind.NanosecondsPerCell
            ? (ns / cells.Value).ToString("G4", CultureInfo.InvariantCulture)
            : (cells.Value / ns * 1e3).ToString("N1", CultureInfo.InvariantCulture);
    }

    /// <summary>The suite's cell count for this case's parameters, from a fresh instance (no setup run).</summary>
    private static long? CellsOf(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        if (!typeof(ICellCounted).IsAssignableFrom(type))
        {
            return null;
        }

        var instance = (ICellCounted)Activator.CreateInstance(type)!;
        foreach (ParameterInstance p in benchmarkCase.Parameters.Items)
        {
            const BindingFlags Flags = BindingFlags.Public | BindingFlags.Instance;
            if (type.GetProperty(p.Name, Flags) is { CanWrite: true } property)
            {
                property.SetValue(instance, p.Value);
            }
            else
            {
                type.GetField(p.Name, Flags)?.SetValue(instance, p.Value);
            }
        }

        return instance.CellsPerInvoke;
    }

    public override string ToString() => ColumnName;
}
