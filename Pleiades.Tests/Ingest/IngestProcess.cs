using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>The real Ingest executable as a child process, to kill it (SIGKILL) or stop it (SIGTERM) as an operator would.</summary>
public static class IngestProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts the Ingest over the file log (quiet, fast reconnects, small batches) and waits until its host has started.</summary>
    public static Task<ServiceProcess> StartAsync(Uri streamUrl, string logDirectory, string stateDirectory) =>
        ServiceProcess.StartAsync(
            "Pleiades.Ingest",
            ["--file.enable", "--file.publishDir", logDirectory, "--stream.url", streamUrl.ToString(), "-q"],
            StartTimeout,
            new ChildProcessOptions
            {
                Environment = new Dictionary<string, string?>
                {
                    ["Ingest__MinBackoff"] = "00:00:00.010",
                    ["Ingest__MaxBackoff"] = "00:00:00.200",
                    ["Ingest__StateDirectory"] = stateDirectory,
                    ["Ingest__BatchSize"] = "64",
                },
                OnLine = TestOutput.OfCurrentTest(),
            });
}
