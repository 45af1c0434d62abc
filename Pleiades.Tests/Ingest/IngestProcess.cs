using System.Diagnostics;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>The real Ingest executable as a child process, to kill it (SIGKILL) or stop it (SIGTERM) as an operator would.</summary>
public sealed class IngestProcess : IDisposable
{
    private readonly Process _process;

    private IngestProcess(Process process, int metricsPort)
    {
        _process = process;
        MetricsPort = metricsPort;
    }

    public int MetricsPort { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static IngestProcess Start(Uri streamUrl, string logDirectory, string stateDirectory)
    {
        var metricsPort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Pleiades.Ingest.dll"),
                "--file.enable", "--file.publishDir", logDirectory,
                "--stream.url", streamUrl.ToString(),
                "--metricsPort", metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-q",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Ingest__MinBackoff"] = "00:00:00.010";
        start.Environment["Ingest__MaxBackoff"] = "00:00:00.200";
        start.Environment["Ingest__StateDirectory"] = stateDirectory;
        start.Environment["Ingest__BatchSize"] = "64";
        start.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new IngestProcess(process, metricsPort);
    }

    /// <summary>SIGKILL: no flush, no goodbye; whatever was half-written stays half-written.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    /// <summary>SIGTERM, as <c>docker stop</c> or Kubernetes sends; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal(0, kill.ExitCode);
        }

        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(timeout, TestContext.Current.CancellationToken);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
