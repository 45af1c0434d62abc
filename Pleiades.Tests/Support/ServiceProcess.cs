using System.Globalization;
using Pleiades.Hosting.Infrastructure;

namespace Pleiades.Tests.Support;

/// <summary>
/// A Pleiades service run on its own as users run it, <c>dotnet Pleiades.X.dll flags --metricsPort P</c>, with its
/// Prometheus text at <see cref="MetricsUrl"/>.
/// </summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public sealed class ServiceProcess : ChildProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private ServiceProcess(string service, IEnumerable<string> args, int metricsPort, ChildProcessOptions options)
        : base(service, "dotnet", [AssemblyPath(service), .. args, "--metricsPort", metricsPort.ToString(CultureInfo.InvariantCulture)], options)
    {
        MetricsPort = metricsPort;
        MetricsUrl = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
    }

    public int MetricsPort { get; }

    public Uri MetricsUrl { get; }

    /// <summary>Its Prometheus text, as a scraper reads it from the metrics port.</summary>
    public Task<string> ScrapeMetricsAsync(CancellationToken cancellationToken = default) => Http.GetStringAsync(MetricsUrl, cancellationToken);

    /// <summary>
    /// The built service's entry assembly in the service's own build output (<c>Pleiades.X/bin/{configuration}/{tfm}</c>),
    /// as users run it: there its own appsettings.json is beside it, where the copies beside this assembly are one
    /// service's file overwritten by another's. Falls back to the copy beside this assembly when there is no such output.
    /// </summary>
    public static string AssemblyPath(string service)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = here.Parent?.Name ?? "";
        var own = Path.Combine(RepositoryPaths.RepositoryRoot, service, "bin", configuration, here.Name, service + ".dll");
        return File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, service + ".dll");
    }

    /// <summary>Starts <paramref name="service"/> (e.g. <c>Pleiades.Ingest</c>) with <paramref name="args"/> and a free metrics port.</summary>
    public static ServiceProcess Start(string service, IEnumerable<string> args, ChildProcessOptions? options = null)
    {
        options ??= new ChildProcessOptions();
        // The service listens where its flags say, and exports to no dashboard, whatever this process was given.
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        };
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }

        return new ServiceProcess(service, args, FreePort.Next(), options with { Environment = environment });
    }

    /// <summary>
    /// <see cref="Start"/>, then waits (bounded) until the metrics port listens, which the service opens once its
    /// host has started; a service that does not get there is stopped and the exception carries its output.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string service, IEnumerable<string> args, TimeSpan timeout, ChildProcessOptions? options = null)
    {
        var process = Start(service, args, options);
        await process.WaitListeningAsync(process.MetricsPort, timeout);
        return process;
    }
}
