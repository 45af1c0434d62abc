using System.Collections.Concurrent;
using System.Diagnostics;
using Pleiades.Aggregator.Telemetry;
using Pleiades.EventLog.Kafka;
using Pleiades.Ingest.Telemetry;
using Pleiades.Replay;
using Pleiades.Tests.Aggregator;
using Pleiades.Tests.Counting;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Ingest;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Tracing;

/// <summary>
/// One trace from the stream to Redis: the real Ingest reads the replayed stream and publishes to librdkafka's mock
/// cluster, a real Aggregator loop counts the topic into Garnet, and every span of the three sources is collected in
/// this process as an exporter would see it. The Redis write of the first event must hang, parent by parent, from
/// the Ingest's read of that event: counters write → process (Aggregator) → publish (Ingest, across the topic) → read.
/// </summary>
[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PipelineTraceTests(GarnetServer server) : IClassFixture<GarnetServer>
{
    private const int Events = 100;

    [Fact]
    public async Task The_redis_write_of_an_event_is_in_the_trace_of_the_stream_read_that_brought_it()
    {
        await server.FlushAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is IngestTelemetry.Name or KafkaTraceContext.ActivitySourceName or AggregatorTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var harness = new KafkaAggregatorHarness(server.Connection, partitions: 1, batchMaxEvents: Events / 10);
        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());
        var settings = IngestKafkaTests.KafkaSettings(harness.Cluster, replay.StreamUrl, state.Path);
        settings["EventLog:Kafka:Topic"] = KafkaAggregatorHarness.Topic;
        await using (var ingest = await IngestHost.StartAsync(settings))
        {
            await ingest.WaitForPublishedAsync(Events, KafkaAggregatorHarness.Timeout);
        }

        var member = harness.Start();
        var logId = await member.LogIdAsync();
        // The Ingest, not the harness, produced the records: wait for them by the positions the Aggregator stored.
        await Eventually.WaitUntilAsync(async () => await harness.AppliedRecordsAsync(logId) >= Events, KafkaAggregatorHarness.Timeout, $"applying {Events} records");
        await member.StopAsync();

        var byId = spans.ToDictionary(span => span.SpanId);
        var writes = spans.Where(span => span.OperationName == AggregatorTracing.CountersWriteName).ToList();
        Assert.True(writes.Count > 0, "no counters write among " + string.Join(", ", spans.Select(s => s.Source.Name + ":" + s.OperationName).Distinct()));
        // Every write that came from a traced batch climbs to a read of the stream, in one trace.
        var chains = writes.Select(write => Ancestry(write, byId)).Where(chain => chain.Count > 2).ToList();
        Assert.NotEmpty(chains);
        foreach (var chain in chains)
        {
            Assert.Equal(
                [AggregatorTracing.CountersWriteName, $"{KafkaAggregatorHarness.Topic} process", $"{KafkaAggregatorHarness.Topic} publish", IngestTelemetry.ReadSpanName],
                chain.Select(span => span.OperationName));
            Assert.Equal(
                [ActivityKind.Client, ActivityKind.Consumer, ActivityKind.Producer, ActivityKind.Consumer],
                chain.Select(span => span.Kind));
            Assert.Single(chain.Select(span => span.TraceId).Distinct());
            Assert.Equal([AggregatorTracing.SourceName, AggregatorTracing.SourceName, KafkaTraceContext.ActivitySourceName, IngestTelemetry.Name],
                chain.Select(span => span.Source.Name));
        }

        // The first event the replay served was read, published, counted and written under one trace.
        Assert.Contains(chains, chain =>
            ((string?)chain[^1].GetTagItem("pleiades.sse.first_id"))?.Contains("\"offset\":0}", StringComparison.Ordinal) == true);

        // Every batch the Ingest published reached an Aggregator batch: as the parent of its process span, or as a
        // link when that batch had already taken its parent from an earlier record.
        var processes = spans.Where(span => span.OperationName == $"{KafkaAggregatorHarness.Topic} process").ToList();
        var continued = processes.Select(p => p.ParentSpanId).Concat(processes.SelectMany(p => p.Links).Select(l => l.Context.SpanId)).ToHashSet();
        var publishes = spans.Where(span => span.OperationName == $"{KafkaAggregatorHarness.Topic} publish").ToList();
        Assert.True(publishes.Count > 1, $"{publishes.Count} publish span(s): the run should cross several");
        Assert.All(publishes, publish => Assert.Contains(publish.SpanId, continued));
    }

    /// <summary><paramref name="span"/> and its parents, nearest first, as far as the spans collected here go.</summary>
    private static List<Activity> Ancestry(Activity span, Dictionary<ActivitySpanId, Activity> byId)
    {
        var chain = new List<Activity> { span };
        while (chain[^1].ParentSpanId != default && byId.TryGetValue(chain[^1].ParentSpanId, out var parent))
        {
            chain.Add(parent);
        }

        return chain;
    }
}
