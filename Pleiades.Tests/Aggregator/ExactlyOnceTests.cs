using Pleiades.Counters;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary>Exactly once through the Kafka mock into Garnet.</summary>
[Trait("Category", "Integration")]
public sealed class ExactlyOnceOnGarnetTests(GarnetServer server) : ExactlyOnceTests(server), IClassFixture<GarnetServer>;

/// <summary>Exactly once through the Kafka mock into Debian's redis-server.</summary>
[Trait("Category", "Integration")]
public sealed class ExactlyOnceOnRedisTests(DebianRedisServer server) : ExactlyOnceTests(server), IClassFixture<DebianRedisServer>;

/// <summary>
/// Members of the group are killed mid-batch, restarted, joined and left while a stream is consumed; the counters
/// must end equal to a straight computation over the same events.
/// </summary>
public abstract class ExactlyOnceTests(RedisProtocolServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kills_restarts_and_rebalances_neither_lose_nor_repeat_a_count()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 4, batchMaxEvents: 150);
        var events = KafkaAggregatorHarness.SampleStream();
        var chunks = events.Chunk((events.Count / 4) + 1).ToList();

        // A first member counts part of the stream and crashes mid-stream (most likely mid-batch).
        var (a, logId) = await harness.StartMidStreamAsync(chunks[0]);
        await a.KillAsync();

        // Its replacement resumes; a second member joins, takes partitions over, and leaves cleanly.
        await harness.ProduceAsync(chunks[1]);
        var a2 = harness.Start();
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount - (chunks[1].Length / 2));
        var b = harness.Start();
        await KafkaAggregatorHarness.WaitForPartitionsAsync(b);
        await harness.ProduceAsync(chunks[2]);
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount - (chunks[2].Length / 2));
        await b.StopAsync();

        // The replacement crashes while new events arrive; a third member finishes the stream.
        await harness.ProduceAsync(chunks[3]);
        await a2.KillAsync();
        var a3 = harness.Start();
        var total = harness.ProducedCount;
        await harness.WaitForAppliedAsync(logId, total);
        await a3.StopAsync();

        Assert.Equal(total, await harness.AppliedRecordsAsync(logId));
        var expected = CounterOracle.Count(events);
        Assert.Equal(expected.AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
        foreach (var (day, counters) in expected.Days)
        {
            Assert.Equal(counters, await HashAsync(RedisKeys.Counters(day)));
            // Every event of these captures has a namespace: the namespace counts of a day add up to its events.
            Assert.Equal(counters["pleiades_total"], (await HashAsync(RedisKeys.Namespaces(day))).Values.Sum());
        }
    }

    private async Task<Dictionary<string, long>> HashAsync(string key) =>
        (await server.Connection.GetDatabase().HashGetAllAsync(key)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
}
