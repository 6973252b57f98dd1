using BenchmarkDotNet.Running;

namespace Ewcm.Bench;

/// <summary>
/// Benchmarks of the overlay and its stages. Every suite validates its answer in its GlobalSetup
/// before measuring: a failed check fails its case, and the process then exits with 1.
/// Run: scripts/bench.sh [FILTER], i.e. dotnet run -c Release --project src/Ewcm.Bench -- --filter '*' --job short
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
