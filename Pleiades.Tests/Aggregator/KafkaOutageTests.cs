using Pleiades.Tests.Counting;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

/// <summary>The Aggregator through an outage of the Kafka broker (librdkafka's mock cluster takes its one broker down).</summary>
[Trait("Category", "Integration")]
public sealed class KafkaOutageTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counting_goes_on_after_the_broker_comes_back_and_every_event_counts_once()
    {
        await server.FlushAsync();
        // Small fetches, so the member reads the stream in many round trips and the outage falls mid-stream.
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 2, batchMaxEvents: 100, consumerConfig: new Dictionary<string, string>
        {
            ["session.timeout.ms"] = "3000",
            ["heartbeat.interval.ms"] = "500",
            ["max.partition.fetch.bytes"] = "8192",
            ["queued.max.messages.kbytes"] = "64",
        });
        var events = KafkaAggregatorHarness.SampleStream();
        var before = events.Take(events.Count / 2).ToList();
        var after = events.Skip(events.Count / 2).ToList();
        var (member, logId) = await harness.StartMidStreamAsync(before);

        // Down for longer than the session timeout: the member loses the broker, its fetches and its group.
        harness.Cluster.SetBrokerDown();
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        harness.Cluster.SetBrokerUp();

        // Events that exist only after the outage: the member must have reconnected to count them.
        await harness.ProduceAsync(after);
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await member.StopAsync();

        Assert.Equal(events.Count, await harness.AppliedRecordsAsync(logId));
        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
    }
}
