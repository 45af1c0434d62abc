using System.Diagnostics;
using System.Globalization;
using Pleiades.Benchmarks.Data;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>
/// One Release-built Pleiades service (Ingest, Aggregator, Replay) run as users run it, <c>dotnet X.dll flags</c>,
/// its output kept in a log file, its Prometheus text at <c>/metrics</c> on its own port, stopped by SIGTERM by PID.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;

    private ServiceProcess(string name, Process process, StreamWriter log, int metricsPort, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        MetricsPort = metricsPort;
        LogPath = logPath;
        StartedAt = Stopwatch.GetTimestamp();
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public string Name { get; }

    public int Id => _process.Id;

    public int MetricsPort { get; }

    public string LogPath { get; }

    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>CPU and peak RSS so far (and the last reading once the process has gone).</summary>
    public ProcessUsage Usage { get; private set; }

    public static ServiceProcess Start(string name, string assembly, string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(BenchmarkPaths.ServiceAssembly(assembly));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--metricsPort");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var logPath = Path.Combine(workingDirectory, name + ".log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        return new ServiceProcess(name, process, log, port, logPath);
    }

    /// <summary>Reads CPU and peak RSS now; returns the reading.</summary>
    public ProcessUsage Sample()
    {
        try
        {
            Usage = ProcessUsage.Read(_process.Id);
        }
        catch (IOException)
        {
            // Gone: the last reading stands.
        }

        return Usage;
    }

    /// <summary>The same as a whole number (for counters of events).</summary>
    public async Task<long> MetricAsync(string metric) => (long)await MetricValueAsync(metric);

    /// <summary>Sum of every series of <paramref name="metric"/> in the process's Prometheus text (0 when it does not answer yet).</summary>
    public async Task<double> MetricValueAsync(string metric)
    {
        string text;
        try
        {
            text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException)
        {
            return 0;
        }

        double sum = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(metric) && line.Length > metric.Length && line[metric.Length] is '{' or ' ')
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                sum += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    public async ValueTask DisposeAsync()
    {
        Sample();
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        await _pumps;
        await _log.DisposeAsync();
        _process.Dispose();
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }
}
