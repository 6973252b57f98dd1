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
        try
        {
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }
        catch (FileNotFoundException e)
        {
            // A wrong path in EWCM_BENCH_COUNTRIES, found while the cases are listed: say so, not a stack trace.
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
