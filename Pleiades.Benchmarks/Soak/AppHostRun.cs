using System.Diagnostics;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;

namespace Pleiades.Benchmarks.Soak;

/// <summary>
/// <c>dotnet run --project Pleiades.AppHost</c> as a user starts it, in a session of its own so that a stop is what
/// a terminal's Ctrl+C does, a signal to the whole process group. Its output goes to a log file.
/// </summary>
internal sealed class AppHostRun : IDisposable
{
    private readonly Process _process;

    private AppHostRun(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public int ProcessId => _process.Id;

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public static AppHostRun Start(IEnumerable<string> appHostArgs, string logPath)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = RepositoryPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The launch profile fixes the dashboard's ports; free ones instead, as the README says for a second AppHost.
        foreach (var arg in (string[])["dotnet", "run", "--project", "Pleiades.AppHost", "--no-build", "--no-launch-profile", "--"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in appHostArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        // The Web's public port 8080 may be taken on a shared machine; the soak reads the counters from Garnet.
        start.Environment["DcpPublisher__RandomizePorts"] = "true";

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => { lock (log) { log.Dispose(); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppHostRun(process, logPath);
    }

    /// <summary>
    /// A graceful stop: SIGTERM to the process group (the AppHost shuts down as on Ctrl+C; SIGINT would not do, as a
    /// process started in the background by a non-interactive shell inherits SIGINT ignored); after
    /// <paramref name="timeout"/>, SIGKILL to it. Returns how long it took.
    /// </summary>
    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (!_process.HasExited)
        {
            Signal("TERM");
            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Console.WriteLine($"soak: the AppHost did not stop within {timeout.TotalSeconds:F0} s of SIGTERM; killing its process group");
                Signal("KILL");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        return clock.Elapsed;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Signal("KILL");
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        // setsid made the AppHost's `dotnet run` a session and process group leader: its id is the group's.
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + _process.Id]) { UseShellExecute = false });
        kill?.WaitForExit(5000);
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream is not null)
            {
                log.WriteLine(line);
            }
        }
    }
}
