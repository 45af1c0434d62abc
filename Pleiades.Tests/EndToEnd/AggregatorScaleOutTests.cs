using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Pleiades.Hosting.Embedded;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// An Aggregator added mid-stream where several share the work: the Kafka event log (the embedded broker, with a
/// stream small enough for what it keeps), two Aggregators in the consumer group, a third started while events flow.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AggregatorScaleOutTests(ITestOutputHelper output)
{
    private const int Events = 24_000;
    private const int Rate = 1_000;
    private const string LateAggregator = "aggregator-late";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task An_Aggregator_added_mid_stream_takes_partitions_and_nothing_is_lost_or_counted_twice()
    {
        using var data = new TemporaryDirectory();
        var capture = EndToEndCapture.Write(Path.Combine(data.Path, "stream.jsonl"), Events);
        var expected = CounterOracle.CountFile(capture);

        await using var app = await EndToEndApp.StartAsync(
            Path.Combine(data.Path, "embedded"), capture, Rate, ["--event-log", "kafka", "--aggregators", "2"], AddLateAggregator);
        var countedBeforeJoin = await app.WaitForCountedAsync(Events / 5, Timeout);
        await app.StartResourceAsync(LateAggregator);
        var took = await app.WaitForExactCountersAsync(expected, Timeout);

        // It joined the group in the middle of the stream and counted a share of it.
        var countedByLate = MetricsText.Value(await app.ScrapeAsync(LateAggregator), "pleiades_aggregator_event_count_total");
        Assert.InRange(countedByLate, 1, Events - countedBeforeJoin);
        output.WriteLine($"{Events} events: third Aggregator started at {countedBeforeJoin} counted and counted {countedByLate}; exact {took.TotalSeconds:F1} s after it started");
    }

    /// <summary>
    /// Declares a third Aggregator, started only by the test, wired as the AppHost wires the others on Kafka. Every
    /// Aggregator gets a 3 s session timeout: the embedded broker holds each classic rebalance for the session timeout
    /// (docs/aggregator-scaling.md), so the default 45 s would make the newcomer wait ~88 s for its partitions.
    /// </summary>
    private static void AddLateAggregator(IDistributedApplicationTestingBuilder builder)
    {
        var kafka = builder.CreateResourceBuilder<EmbeddedKafkaResource>("kafka");
        var redis = builder.CreateResourceBuilder<EmbeddedRedisResource>("redis");
        var aggregators = builder.CreateResourceBuilder<ProjectResource>("aggregator");
        var late = builder.AddProject<Projects.Pleiades_Aggregator>(LateAggregator, launchProfileName: null)
            .WithHttpEndpoint()
            .WithReference(kafka).WaitFor(kafka)
            .WithReference(redis).WaitFor(redis)
            .WithHttpHealthCheck("/health")
            .WithExplicitStart();
        foreach (var aggregator in (IResourceBuilder<ProjectResource>[])[aggregators, late])
        {
            aggregator
                .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__session.timeout.ms", "3000")
                .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__heartbeat.interval.ms", "1000");
        }
    }
}
