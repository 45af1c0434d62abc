using System.Text;
using Confluent.Kafka;
using Pleiades.Counters;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

[Trait("Category", "Integration")]
public sealed class KafkaAggregatorLoopTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counts_a_topic_into_redis_dead_letters_the_malformed_and_resumes_where_it_stopped()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 3, batchMaxEvents: 500);
        var good = RealSamples.Lines(RealSamples.Enwiki2023).Concat(RealSamples.Lines(RealSamples.WikidataNewItems2018)).ToList();
        byte[][] hostile =
        [
            Encoding.UTF8.GetBytes("not json at all"),
            Encoding.UTF8.GetBytes("""{"wiki":"enwiki","type":"edit"}"""),
            Encoding.UTF8.GetBytes("""{"meta":{"domain":"canary","dt":"2023-07-29T08:00:00Z"},"wiki":"enwiki"}"""),
        ];
        await harness.ProduceAsync(good.Take(100).Concat(hostile).Concat(good.Skip(100)));

        var first = harness.Start();
        var logId = await first.LogIdAsync();
        Assert.StartsWith("kafka:", logId, StringComparison.Ordinal);
        Assert.EndsWith(":" + KafkaAggregatorHarness.Topic, logId, StringComparison.Ordinal);
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await first.StopAsync();

        var expected = CounterOracle.Count(good).AllTime;
        Assert.Equal(expected, await AllTimeAsync(server.Connection));

        // More events after a restart: only the new ones are counted.
        var more = RealSamples.Lines(RealSamples.Enwiki2023);
        await harness.ProduceAsync(more);
        var second = harness.Start();
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await second.StopAsync();

        // The capture again is new records of the log (dropping repeats of a meta.id is the Ingest's job): it counts again.
        var withMore = expected.Concat(CounterOracle.Count(more).AllTime).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        Assert.Equal(withMore, await AllTimeAsync(server.Connection));
        Assert.Equal(2, await DeadLetterCountAsync(harness));
    }

    internal static async Task<Dictionary<string, long>> AllTimeAsync(IConnectionMultiplexer redis) =>
        (await redis.GetDatabase().HashGetAllAsync(RedisKeys.AllTimeCounters)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);

    private static async Task<int> DeadLetterCountAsync(KafkaAggregatorHarness harness)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = harness.Cluster.BootstrapServers,
            GroupId = "dead-letter-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(KafkaAggregatorHarness.DeadLetterTopic, 0, Offset.Beginning));
        var count = 0;
        await Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (count < 2 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } result)
                {
                    Assert.NotNull(result.Message.Headers.GetLastBytes(Pleiades.Aggregator.DeadLetters.KafkaDeadLetterSink.ReasonHeader));
                    count++;
                }
            }

            // Anything beyond the two would be a duplicate.
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: not null })
            {
                count++;
            }
        }, Ct).WaitAsync(KafkaAggregatorHarness.Timeout, Ct);
        return count;
    }
}
