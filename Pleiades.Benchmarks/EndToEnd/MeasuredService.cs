using Pleiades.Tests.Support;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>
/// A Release-built Pleiades service (Ingest, Aggregator, Replay, Web) under measurement: run as users run it (a
/// <see cref="ServiceProcess"/>), its output kept in a log file, its CPU and peak RSS sampled, its counters read
/// from its Prometheus text; stopped by SIGTERM by PID.
/// </summary>
internal sealed class MeasuredService : IAsyncDisposable
{
    private readonly ServiceProcess _process;
    private readonly StreamWriter _log;

    private MeasuredService(string name, ServiceProcess process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public int MetricsPort => _process.MetricsPort;

    public string LogPath { get; }

    /// <summary>When it was started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long StartedAt => _process.StartedAt;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU and peak RSS so far (and the last reading once the process has gone).</summary>
    public ProcessUsage Usage { get; private set; }

    public static MeasuredService Start(string name, string assembly, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var logPath = Path.Combine(workingDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = ServiceProcess.Start(assembly, args, new ChildProcessOptions
        {
            WorkingDirectory = workingDirectory,
            Environment = settings,
            OnLine = log.WriteLine,
            StopTimeout = TimeSpan.FromSeconds(30),
        });
        return new MeasuredService(name, process, log, logPath);
    }

    /// <summary>Waits (bounded) until it listens on <paramref name="port"/>; one that does not is stopped, and the exception says why.</summary>
    public Task WaitListeningAsync(int port, TimeSpan timeout) => _process.WaitListeningAsync(port, timeout);

    /// <summary>Reads CPU and peak RSS now; returns the reading.</summary>
    public ProcessUsage Sample()
    {
        try
        {
            Usage = ProcessUsage.Read(_process.Id);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Gone (or stopped and released after failing to start): the last reading stands.
        }

        return Usage;
    }

    /// <summary>The same as a whole number (for counters of events).</summary>
    public async Task<long> MetricAsync(string metric) => (long)await MetricValueAsync(metric);

    /// <summary>Sum of every series of <paramref name="metric"/> in the process's Prometheus text (0 when it does not answer or export it yet).</summary>
    public async Task<double> MetricValueAsync(string metric)
    {
        string text;
        try
        {
            text = await _process.ScrapeMetricsAsync();
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return 0;
        }

        return MetricsText.OptionalValue(text, metric) ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        Sample();
        await _process.DisposeAsync();
        await _log.DisposeAsync();
    }
}
