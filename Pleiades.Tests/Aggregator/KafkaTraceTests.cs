using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Aggregator;

/// <summary>
/// The trace crosses the topic: records carrying a W3C <c>traceparent</c> (as the Ingest's publish span writes it)
/// are applied under a Consumer span that continues that trace, and the Redis write is its child.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KafkaTraceTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    [Fact]
    public async Task A_batch_continues_the_trace_of_its_first_traced_record_through_the_redis_write()
    {
        await server.FlushAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AggregatorTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // Two producer batches, each with its context on its first record, as the Ingest writes them.
        var publish = RemoteContext();
        var laterPublish = RemoteContext();
        var records = RealSamples.Lines(RealSamples.Enwiki2023).Take(200).ToList();
        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 1, batchMaxEvents: records.Count);
        // One batch of exactly these records: it is due when all are read, long before this delay.
        harness.Options.BatchMaxDelay = TimeSpan.FromMinutes(1);
        await harness.ProduceAsync(records.Take(100), index => index == 0 ? TraceHeaders(publish) : null);
        await harness.ProduceAsync(records.Skip(100), index => index == 0 ? TraceHeaders(laterPublish) : null);

        var member = harness.Start();
        var logId = await member.LogIdAsync();
        await harness.WaitForAppliedAsync(logId, records.Count);
        await member.StopAsync();

        var process = Assert.Single(spans, span => span.TraceId == publish.TraceId && span.Kind == ActivityKind.Consumer);
        Assert.Equal($"{KafkaAggregatorHarness.Topic} process", process.OperationName);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Equal("kafka", process.GetTagItem("messaging.system"));
        Assert.Equal(records.Count, process.GetTagItem("messaging.batch.message_count"));

        var write = Assert.Single(spans, span => span.ParentSpanId == process.SpanId);
        Assert.Equal(AggregatorTracing.CountersWriteName, write.OperationName);
        Assert.Equal(ActivityKind.Client, write.Kind);
        Assert.Equal(publish.TraceId, write.TraceId);
        Assert.InRange(Assert.IsType<int>(write.GetTagItem("events")), 1, records.Count);
        Assert.True(Assert.IsType<int>(write.GetTagItem("keys")) > 0);
    }

    private static ActivityContext RemoteContext() =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

    private static Headers TraceHeaders(ActivityContext context) =>
        new() { { "traceparent", Encoding.UTF8.GetBytes($"00-{context.TraceId}-{context.SpanId}-01") } };
}
