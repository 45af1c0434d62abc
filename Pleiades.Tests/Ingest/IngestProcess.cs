using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>The real Ingest executable as a child process, to kill it (SIGKILL) or stop it (SIGTERM) as an operator would.</summary>
public static class IngestProcess
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts the Ingest over the file log (quiet, fast reconnects, small batches), with <paramref name="moreArgs"/> on its
    /// command line, and waits until its host has started.
    /// </summary>
    public static Task<ServiceProcess> StartAsync(Uri streamUrl, string logDirectory, string stateDirectory, params string[] moreArgs) =>
        StartAsync(["--file.enable", "--file.publishDir", logDirectory, .. moreArgs], streamUrl, stateDirectory, new Dictionary<string, string?>());

    /// <summary>
    /// Starts the Ingest over Kafka (quiet, fast reconnects, batches of 64 from a buffer of 64 events, so a batch taken
    /// from a full buffer is a whole one) and waits until its host has started.
    /// </summary>
    public static Task<ServiceProcess> StartKafkaAsync(Uri streamUrl, string bootstrapServers, string topic, string stateDirectory) =>
        StartAsync(
            ["--kafka.enable", "--kafka.broker", bootstrapServers, "--kafka.topic", topic],
            streamUrl,
            stateDirectory,
            // Runs of 16 events per partition: every 64-event batch spreads over the partitions.
            new Dictionary<string, string?> { ["Ingest__BufferCapacity"] = "64", ["Ingest__KafkaPartitionRun"] = "16" });

    private static Task<ServiceProcess> StartAsync(string[] logArgs, Uri streamUrl, string stateDirectory, Dictionary<string, string?> environment)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ingest__MinBackoff"] = "00:00:00.010",
            ["Ingest__MaxBackoff"] = "00:00:00.200",
            ["Ingest__StateDirectory"] = stateDirectory,
            ["Ingest__BatchSize"] = "64",
        };
        foreach (var (key, value) in environment)
        {
            settings[key] = value;
        }

        return ServiceProcess.StartAsync(
            "Pleiades.Ingest",
            [.. logArgs, "--stream.url", streamUrl.ToString(), "-q"],
            StartTimeout,
            new ChildProcessOptions { Environment = settings, OnLine = TestOutput.OfCurrentTest() });
    }
}
