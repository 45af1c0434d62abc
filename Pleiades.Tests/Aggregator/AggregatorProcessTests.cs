using System.Text.RegularExpressions;
using Pleiades.Aggregator.Counting;
using Pleiades.Counters;
using Pleiades.EventLog.FileLog;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

/// <summary>The Aggregator as users run it: its own process, the original's flags, Prometheus text at /metrics.</summary>
[Trait("Category", "Integration")]
public sealed class AggregatorProcessTests(GarnetServer server) : IClassFixture<GarnetServer>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("pleiades-aggregator-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counts_a_file_log_into_redis_serves_contract_metrics_and_stops_cleanly_on_sigterm()
    {
        await server.FlushAsync();
        var directory = Path.Combine(_root, "events");
        var events = RealSamples.Lines(RealSamples.Enwiki2023);
        string logId;
        FileLogPosition end;
        using (var writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = directory }))
        {
            foreach (var line in events)
            {
                writer.Append("[]"u8, line);
            }

            writer.Flush();
            logId = FileLogIdentity.LogKey(writer.LogId);
            end = writer.End;
        }

        await using var process = StartAggregator("--file.enable", "--file.publishDir", directory, "--redis-addr", server.Address);
        var store = new RedisCounterStore(server.Connection);
        await WhileRunningAsync(process, async () => (await store.ReadPositionsAsync(logId)).GetValueOrDefault(RedisKeys.FilePositionField) == end.ToInt64(), "it read the whole log");

        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));

        var metrics = await process.ScrapeMetricsAsync(Ct);
        // The exporter labels every series with its meter (otel_scope_name); the names are CONTRACT.md's.
        Assert.Matches(Series("pleiades_aggregator_event_count_total", "100"), metrics);
        Assert.Matches(Series("pleiades_aggregator_message_lag_milliseconds_count", "100"), metrics);
        Assert.Matches(Series("pleiades_aggregator_message_lag_milliseconds_bucket", "100", "le=\"\\+Inf\""), metrics);
        Assert.Matches(Series("pleiades_aggregator_batch_records_sum", "100"), metrics);
        Assert.Matches(Series("pleiades_aggregator_batches_total", "1", "result=\"applied\""), metrics);
        Assert.Matches(Series("pleiades_aggregator_redis_write_duration_seconds_count", "1"), metrics);

        Assert.Equal(0, await process.TerminateAsync(Timeout));
    }

    [Fact]
    public async Task Consumes_kafka_as_the_named_group_and_leaves_it_on_sigterm()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 2);
        var events = RealSamples.Lines(RealSamples.WikidataNewItems2018);
        await harness.ProduceAsync(events);

        // A librdkafka setting under its .NET name, as the Ingest takes them: the loop's consumer once refused it as an unknown property and restarted forever.
        await using var process = StartAggregator(
            new Dictionary<string, string?> { ["Aspire__Confluent__Kafka__Consumer__Config__FetchMaxBytes"] = "1048576" },
            "--kafka.enable", "--kafka.broker", harness.Cluster.BootstrapServers, "--kafka.topic", KafkaAggregatorHarness.Topic,
            "--kafka.group", "process-test-group", "--redis-addr", server.Address);
        await WhileRunningAsync(process, async () => (long)await server.Connection.GetDatabase().HashGetAsync(RedisKeys.AllTimeCounters, CounterNames.Total) >= events.Count, $"it counted {events.Count} events");

        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
        Assert.Equal(0, await process.TerminateAsync(Timeout));
    }

    [Fact]
    public async Task Health_follows_the_kafka_cluster()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 1);
        await using var process = StartAggregator(
            "--kafka.enable", "--kafka.broker", harness.Cluster.BootstrapServers, "--kafka.topic", KafkaAggregatorHarness.Topic,
            "--redis-addr", server.Address);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var health = new Uri(process.MetricsUrl, "/health");
        async Task<bool> HealthIs(string status)
        {
            try
            {
                using var response = await http.GetAsync(health, Ct);
                return await response.Content.ReadAsStringAsync(Ct) == status;
            }
            catch (HttpRequestException)
            {
                return false; // Not listening yet.
            }
        }

        await WhileRunningAsync(process, () => HealthIs("Healthy"), "/health says Healthy");

        harness.Cluster.SetBrokerDown();
        await WhileRunningAsync(process, () => HealthIs("Unhealthy"), "/health says Unhealthy while the broker is down");

        harness.Cluster.SetBrokerUp();
        await WhileRunningAsync(process, () => HealthIs("Healthy"), "/health says Healthy again once the broker is back");
        Assert.Equal(0, await process.TerminateAsync(Timeout));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Polls <paramref name="done"/> (bounded), failing with the Aggregator's output when it exits first (the test's output has all of it).</summary>
    private static Task WhileRunningAsync(ServiceProcess process, Func<Task<bool>> done, string what) =>
        Eventually.WaitUntilAsync(
            async () =>
            {
                await process.EnsureRunningAsync(what);
                return await done();
            },
            Timeout,
            what);

    /// <summary>A Prometheus text line of <paramref name="name"/> (whatever its labels, including <paramref name="label"/>) with <paramref name="value"/>.</summary>
    private static Regex Series(string name, string value, string label = "") =>
        new($"(?m)^{name}\\{{[^}}]*{label}[^}}]*\\}} {value}$");

    private static ServiceProcess StartAggregator(params string[] args) => StartAggregator(new Dictionary<string, string?>(), args);

    private static ServiceProcess StartAggregator(Dictionary<string, string?> environment, params string[] args) =>
        ServiceProcess.Start("Pleiades.Aggregator", args, new ChildProcessOptions
        {
            Environment = new Dictionary<string, string?>(environment) { ["DOTNET_ENVIRONMENT"] = "Development" },
            OnLine = TestOutput.OfCurrentTest(),
        });
}
