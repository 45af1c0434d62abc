using Pleiades.Aggregator.Source.Kafka;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

/// <summary>
/// Scale-out: a second Aggregator joins a group that is consuming while events keep arriving. It must get its share
/// of the partitions (the first member hands them over mid-stream) and the counters must stay exact. With both
/// group protocols: the classic one (the default) and the consumer protocol of KIP-848 (<c>group.protocol=consumer</c>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class GroupScaleOutTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    private const int Partitions = 8;
    private static readonly TimeSpan ProduceInterval = TimeSpan.FromMilliseconds(200);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("classic")]
    [InlineData("consumer")]
    public async Task A_member_joining_a_consuming_group_gets_partitions_and_nothing_is_counted_twice_or_lost(string protocol)
    {
        await server.FlushAsync();
        // The classic protocol keeps the harness's short session timeout: the mock broker holds every classic
        // rebalance for session.timeout.ms - 1 s (BENCHMARKS.md, "Rebalances"). The consumer protocol refuses it.
        var config = protocol == "consumer" ? new Dictionary<string, string> { ["group.protocol"] = "consumer" } : null;
        await using var harness = new KafkaAggregatorHarness(server.Connection, Partitions, batchMaxEvents: 200, consumerConfig: config);
        var events = KafkaAggregatorHarness.SampleStream();
        var chunks = events.Chunk((events.Count / 20) + 1).ToList();
        var (first, logId) = await harness.StartMidStreamAsync(chunks[0]);

        // The second member joins while the first is consuming and events keep arriving; the last chunk is kept
        // until it owns partitions, so that it has events of its own to count.
        var second = harness.Start();
        using var joined = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var producing = ProduceUntilAsync(harness, chunks[1..^1], joined.Token);
        await KafkaAggregatorHarness.WaitForPartitionsAsync(second);
        await joined.CancelAsync();
        await producing;
        await harness.ProduceAsync(chunks[^1]);
        await harness.WaitForAppliedAsync(logId, events.Count);

        Assert.Equal(events.Count, harness.ProducedCount);
        Assert.InRange(Member(first).AssignedPartitions, 1, Partitions - 1);
        Assert.Equal(Partitions, Member(first).AssignedPartitions + Member(second).AssignedPartitions);
        await second.StopAsync();
        await first.StopAsync();

        Assert.Equal(events.Count, await harness.AppliedRecordsAsync(logId));
        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
    }

    private static KafkaAggregatorLoop Member(RunningSource running) => (KafkaAggregatorLoop)running.Source;

    /// <summary>Produces one chunk every <see cref="ProduceInterval"/> until the chunks run out or <paramref name="stop"/>; the rest then, at once.</summary>
    private static async Task ProduceUntilAsync(KafkaAggregatorHarness harness, List<byte[][]> chunks, CancellationToken stop)
    {
        var next = 0;
        while (next < chunks.Count && !stop.IsCancellationRequested)
        {
            await harness.ProduceAsync(chunks[next++]);
            await Task.Delay(ProduceInterval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await harness.ProduceAsync(chunks[next..].SelectMany(chunk => chunk));
    }
}
