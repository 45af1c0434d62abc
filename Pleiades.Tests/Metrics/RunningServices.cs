using Pleiades.Hosting.Embedded;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Replay;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Metrics;

/// <summary>
/// Every service run as users run it, each in its own process, doing its work: a replay of 100 real events and one
/// malformed one (closing at its end, so the Ingest also reconnects), an Ingest on Kafka (librdkafka's mock cluster)
/// and one on the file log, an Aggregator counting each log into Garnet, and the Web answering requests. Once they
/// have done it, <see cref="Metrics"/> holds what each served at /metrics.
/// </summary>
public sealed class RunningServices : IAsyncLifetime
{
    public const string Topic = "pleiades-events";
    private const int Events = 101;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    private readonly TemporaryDirectory _root = new();
    private readonly List<ServiceProcess> _processes = [];
    private readonly GarnetServer _redis = new();
    private KafkaMockCluster? _kafka;
    private ReplayServer? _replay;

    /// <summary>What each service served at /metrics once its work was done, by service and event log.</summary>
    public Dictionary<ContractSource, string> Metrics { get; } = [];

    public async ValueTask InitializeAsync()
    {
        await _redis.InitializeAsync();
        _kafka = KafkaMockCluster.Start();
        _kafka.CreateTopic(Topic, 2);
        _kafka.CreateTopic("pleiades-events-deadletter", 1);

        var capture = Path.Combine(_root.Path, "capture.jsonl");
        var malformed = """{"meta":{"domain":"en.wikipedia.org"},"wiki":"enwiki"}"""u8.ToArray();
        await File.WriteAllLinesAsync(capture, RealSamples.Lines(RealSamples.Enwiki2023).Append(malformed).Select(System.Text.Encoding.UTF8.GetString));
        _replay = await ReplayServer.StartAsync(new ReplayOptions { Capture = capture, CloseAtEnd = true });

        var fileLog = Path.Combine(_root.Path, "events");
        var kafka = new ContractSource("Ingest", "Kafka");
        var file = new ContractSource("Ingest", "file log");
        var aggregatorKafka = new ContractSource("Aggregator", "Kafka");
        var aggregatorFile = new ContractSource("Aggregator", "file log");
        var web = new ContractSource("Web", null);
        var webPort = FreePort.Next();
        var started = new Dictionary<ContractSource, ServiceProcess>
        {
            [kafka] = Start("Pleiades.Ingest", ["--kafka.enable", "--kafka.broker", _kafka.BootstrapServers, "--stream.url", _replay.StreamUrl.ToString()], "kafka"),
            [file] = Start("Pleiades.Ingest", ["--file.enable", "--file.publishDir", fileLog, "--stream.url", _replay.StreamUrl.ToString()], "file"),
            [aggregatorKafka] = Start("Pleiades.Aggregator", ["--kafka.enable", "--kafka.broker", _kafka.BootstrapServers, "--redis-addr", _redis.Address], "aggregator-kafka"),
            [aggregatorFile] = Start("Pleiades.Aggregator", ["--file.enable", "--file.publishDir", fileLog, "--redis-addr", _redis.Address], "aggregator-file"),
            [web] = Start("Pleiades.Web", ["--frontend-redis-addr", _redis.Address, "--listen-addr", $"127.0.0.1:{webPort}"], "web"),
        };

        await WaitForAsync(started[kafka], text => (MetricsText.OptionalValue(text, "pleiades_kafka_publish_events_total") ?? 0) >= Events && (MetricsText.OptionalValue(text, "pleiades_recv_errors_total") ?? 0) > 0,
            "the Kafka Ingest published every event and reconnected at the capture's end");
        await WaitForAsync(started[file], text => (MetricsText.OptionalValue(text, "pleiades_file_publish_events_total") ?? 0) >= Events && (MetricsText.OptionalValue(text, "pleiades_recv_errors_total") ?? 0) > 0,
            "the file log Ingest published every event and reconnected at the capture's end");
        foreach (var aggregator in (ContractSource[])[aggregatorKafka, aggregatorFile])
        {
            // Records of batches applied (a batch whose reply was lost and that a retry found applied included), not counted events.
            await WaitForAsync(started[aggregator], text => (MetricsText.OptionalValue(text, "pleiades_aggregator_batch_records_sum") ?? 0) >= Events
                && (MetricsText.OptionalValue(text, "pleiades_aggregator_dead_lettered_events_total") ?? 0) >= 1, $"the {aggregator.Mode} Aggregator applied every record and dead-lettered the malformed one");
        }

        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/"), Timeout = TimeSpan.FromSeconds(30) })
        {
            foreach (var path in (string[])["api/stats", "api/stats/not-a-day", "api/days", ""])
            {
                (await http.GetAsync(path)).Dispose();
            }
        }

        await WaitForAsync(started[web], text => text.Contains("pleiades_web_http_response_total{", StringComparison.Ordinal)
            && text.Contains("pleiades_web_counter_marshal_duration_seconds_bucket{", StringComparison.Ordinal), "the Web measured its answers");

        foreach (var (source, process) in started)
        {
            Metrics[source] = await process.ScrapeMetricsAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_replay is not null)
        {
            await _replay.DisposeAsync();
        }

        _kafka?.Dispose();
        await _redis.DisposeAsync();
        _root.Dispose();
    }

    private ServiceProcess Start(string service, string[] args, string stateName)
    {
        var process = ServiceProcess.Start(service, args, new ChildProcessOptions
        {
            Environment = new Dictionary<string, string?>
            {
                ["Ingest__StateDirectory"] = Path.Combine(_root.Path, "state-" + stateName),
                ["Ingest__MinBackoff"] = "00:00:00.100",
                ["Ingest__MaxBackoff"] = "00:00:01",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        });
        _processes.Add(process);
        return process;
    }

    /// <summary>Scrapes <paramref name="process"/> until <paramref name="done"/> holds of its metrics (bounded); a failure carries its output and last metrics.</summary>
    private static async Task WaitForAsync(ServiceProcess process, Func<string, bool> done, string what)
    {
        var metrics = "";
        try
        {
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    await process.EnsureRunningAsync(what);
                    try
                    {
                        metrics = await process.ScrapeMetricsAsync();
                        return done(metrics);
                    }
                    catch (HttpRequestException)
                    {
                        return false; // Not listening yet.
                    }
                },
                Timeout,
                what);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var pleiades = string.Join('\n', metrics.Split('\n').Where(line => line.StartsWith("pleiades_", StringComparison.Ordinal)));
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}{process.Name} printed:{Environment.NewLine}{process.Output}{Environment.NewLine}and served:{Environment.NewLine}{pleiades}", e);
        }
    }
}
