using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

[Trait("Category", "Integration")]
public sealed class RedisOutageTests(DurableDebianRedisServer server) : IClassFixture<DurableDebianRedisServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Batches_wait_out_a_redis_crash_and_are_applied_exactly_once_after_it()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 2, batchMaxEvents: 100);
        var events = RealSamples.Lines(RealSamples.WikidataReverts2018).Concat(RealSamples.Lines(RealSamples.Enwiki2023)).ToList();
        await harness.ProduceAsync(events);

        var loop = harness.Start();
        var logId = await loop.LogIdAsync();
        await harness.WaitForAppliedAsync(logId, 300);

        await server.CrashAsync();
        await Task.Delay(1500, Ct);
        await server.RestartAsync();

        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await loop.StopAsync();

        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
    }
}
