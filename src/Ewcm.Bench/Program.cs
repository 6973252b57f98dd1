using BenchmarkDotNet.Running;

namespace Ewcm.Bench;

/// <summary>
/// Benchmarks of the overlay and its stages. Every suite validates its answer in its GlobalSetup
/// before measuring. Run: dotnet run -c Release --project src/Ewcm.Bench -- --filter '*'
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
