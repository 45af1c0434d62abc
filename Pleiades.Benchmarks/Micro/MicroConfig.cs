using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Pleiades.Benchmarks.Micro;

/// <summary>
/// Short runs in this process (1 launch, 3 warm-ups, 5 measured iterations) with allocations, so the whole suite
/// finishes in a few minutes on 2 cores; in-process also lets the benchmarks share the embedded Garnet and Kafka.
/// </summary>
internal sealed class MicroConfig : ManualConfig
{
    public MicroConfig()
    {
        AddJob(Job.ShortRun
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("short-inprocess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
