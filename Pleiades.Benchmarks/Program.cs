using BenchmarkDotNet.Running;
using Pleiades.Benchmarks.EndToEnd;
using Pleiades.Benchmarks.WebLoad;

// pleiades-benchmarks micro [BenchmarkDotNet arguments] | e2e [options] | web [options]  (BENCHMARKS.md)
return args.FirstOrDefault() switch
{
    // Asked for help, e2e and web print this instead of starting a run that holds the machine for minutes
    // (micro passes --help on to BenchmarkDotNet's own).
    "e2e" or "web" when args.Any(a => a is "--help" or "-h") => Usage(exitCode: 0),
    "micro" => RunMicro(args[1..]),
    "e2e" => await EndToEndBenchmark.RunAsync(args[1..]),
    "web" => await WebLoadBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int RunMicro(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Pleiades.Benchmarks.Micro.MicroConfig).Assembly)
        .Run(args.Length > 0 ? args : ["--filter", "*"]);
    return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
}

static int Usage(int exitCode = 2)
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project Pleiades.Benchmarks -- COMMAND
          micro [--filter PATTERN]                      BenchmarkDotNet micro benchmarks (short in-process jobs)
          e2e [--events N] [--log kafka|file] [--redis garnet|redis-server] [--partitions P] [--phases stages|ingest|pipeline|all]
                                                        replay -> Ingest -> log -> 2 Aggregators -> Redis, real processes
          web [--wikis N] [--duration S] [--connections 50,200] [--warmup S] [--paths stats,overview,series,wikis,pages]
              [--accept-encoding gzip] [--redis garnet|redis-server]
                                                        wrk against the Web's REST API and dashboard data
        """);
    return exitCode;
}
