using BenchmarkDotNet.Running;
using Pleiades.Benchmarks;
using Pleiades.Benchmarks.EndToEnd;
using Pleiades.Benchmarks.Soak;
using Pleiades.Benchmarks.WebLoad;

// pleiades-benchmarks micro [BenchmarkDotNet arguments] | e2e [options] | web [options]  (BENCHMARKS.md)
const string usage = """
    usage: dotnet run -c Release --project Pleiades.Benchmarks -- COMMAND
      micro [--filter PATTERN]                      BenchmarkDotNet micro benchmarks (short in-process jobs)
      e2e [--events N] [--log kafka|file] [--redis garnet|redis-server] [--partitions P] [--aggregators A]
          [--phases stages|ingest|pipeline|all]
                                                    replay -> Ingest -> log -> Aggregators -> Redis, real processes
      web [--wikis N] [--duration S] [--connections 50,200] [--warmup S] [--paths stats,overview,series,wikis,pages]
          [--accept-encoding gzip] [--redis garnet|redis-server]
                                                    wrk against the Web's REST API and dashboard data
      soak [--events N] [--event-log file|kafka] [--stop-at FRACTION] [--stall-seconds S] [--keep true]
                                                    N events through `dotnet run --project Pleiades.AppHost` (embedded),
                                                    Ctrl+C and restart at FRACTION of them; exact day totals or exit 1
    """;

if (args is [] or ["--help" or "-h"] || (args[0] is "e2e" or "web" or "soak" && args.Skip(1).Any(a => a is "--help" or "-h")))
{
    Console.WriteLine(usage);
    return args is [] ? 2 : 0;
}

try
{
    return args[0] switch
    {
        "micro" => RunMicro(args[1..]),
        "e2e" => await EndToEndBenchmark.RunAsync(args[1..]),
        "web" => await WebLoadBenchmark.RunAsync(args[1..]),
        "soak" => await SoakBenchmark.RunAsync(args[1..]),
        _ => throw new UsageException($"unknown command '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(usage);
    return 2;
}

static int RunMicro(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Pleiades.Benchmarks.Micro.MicroConfig).Assembly)
        .Run(args.Length > 0 ? args : ["--filter", "*"]);
    return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
}
