using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace L4Re.Benchmarks;

/// <summary>Runs the benchmarks selected on the command line (see docs/benchmarks.md).</summary>
public static class Program
{
    /// <summary>Entry point: <c>dotnet run -c Release --project bench/L4Re.Benchmarks -- --filter '*'</c>.</summary>
    public static void Main(string[] args)
    {
        // Every benchmark reports allocations: hot paths must allocate nothing.
        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
