using Confluent.Kafka;
using Pleiades.Counters;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary>
/// librdkafka's mock broker keeps about 5 MiB per partition and drops older messages when more is produced: the
/// broker's retention passing an Aggregator by, for real. What it dropped is never counted, and never silently.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KafkaLossTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    [Fact]
    public async Task Events_the_broker_dropped_before_they_were_counted_are_logged_measured_and_recorded_once_for_the_site()
    {
        await server.FlushAsync();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 1, batchMaxEvents: 2000);
        using var measured = new MeasuredCounters(harness.MeterFactory, "pleiades_aggregator_");
        // Twice the sample stream is about 11 MB: more than the partition keeps.
        var stream = KafkaAggregatorHarness.SampleStream();
        List<byte[]> records = [.. stream, .. stream];

        // Nothing counted yet, and the oldest messages already gone: the first reader starts past a gap.
        await harness.ProduceAsync(records);
        var firstLow = LowWatermark(harness);
        Assert.True(firstLow > 0, "the mock broker dropped the oldest messages");
        var first = harness.Start();
        var logId = await first.LogIdAsync();
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await first.StopAsync();
        var firstEnd = harness.ProducedCount;

        // A reader whose stored position the broker's retention passed while it was down.
        await harness.ProduceAsync(records);
        var secondLow = LowWatermark(harness);
        Assert.True(secondLow > firstEnd, "the stored position is below the partition's low watermark");
        var second = harness.Start();
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await second.StopAsync();
        // Started again on what it already counted: no new gap, nothing counted twice.
        var third = harness.Start();
        await harness.WaitForAppliedAsync(logId, harness.ProducedCount);
        await third.StopAsync();

        var all = records.Concat(records).ToList();
        var countedFirst = all.Skip((int)firstLow).Take((int)(firstEnd - firstLow)).ToList();
        var countedSecond = all.Skip((int)secondLow).ToList();
        var counted = countedFirst.Concat(countedSecond);
        // Each run of records lies within one copy of the capture: the oracle counts each run, the Aggregator both.
        var expected = CounterOracle.Count(countedFirst).AllTime.Concat(CounterOracle.Count(countedSecond).AllTime)
            .GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        Assert.Equal(expected, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));

        var lost = firstLow + (secondLow - firstEnd);
        Assert.Equal(all.Count, counted.Count() + lost);
        var status = await server.Connection.GetDatabase().HashGetAllAsync(RedisKeys.Status);
        var fields = status.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("2", fields[RedisKeys.LossesField]);
        Assert.Equal(lost.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[RedisKeys.LostEventsField]);
        Assert.Contains($"partition 0 (offsets {firstEnd} to {secondLow - 1})", fields[RedisKeys.LastLossField], StringComparison.Ordinal);
        Assert.Equal(2, (await server.Connection.GetDatabase().HashGetAllAsync(RedisKeys.Losses)).Length);
        Assert.Equal(lost, measured["pleiades_aggregator_events_lost_total{source=kafka}"]);
        Assert.Equal(2, measured["pleiades_aggregator_log_gaps_total{source=kafka}"]);
    }

    private static long LowWatermark(KafkaAggregatorHarness harness)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = harness.Cluster.BootstrapServers, GroupId = "watermarks" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(KafkaAggregatorHarness.Topic, 0), KafkaAggregatorHarness.Timeout).Low.Value;
    }
}
