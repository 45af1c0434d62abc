using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Pleiades.EventLog.Kafka;
using Pleiades.Hosting.Embedded;
using Pleiades.Ingest.Telemetry;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;

namespace Pleiades.Tests.Ingest;

/// <summary>
/// The trace of a batch: the Ingest's read span for the events it took from the stream, the Kafka publish span as
/// its child, and the publish span's context in the traceparent header of the batch's first message. Spans are
/// collected with an <see cref="ActivityListener"/> (what an exporter sees), the messages read back from the mock cluster.
/// </summary>
[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public class IngestTraceTests
{
    private const int Events = 100;

    [Fact]
    public async Task Every_batch_read_from_the_stream_is_one_read_span_that_names_its_events()
    {
        var run = await RunAsync();

        Assert.NotEmpty(run.Reads);
        Assert.All(run.Reads, read =>
        {
            Assert.Equal(ActivityKind.Consumer, read.Kind);
            Assert.NotNull(read.GetTagItem("pleiades.sse.first_id"));
            Assert.NotNull(read.GetTagItem("pleiades.sse.last_id"));
            Assert.NotNull(read.GetTagItem("pleiades.meta_dt.newest"));
        });
        // Every event relayed is in exactly one read span; the first span starts at the replay's first event.
        Assert.Equal(Events, run.Reads.Sum(EventsOf));
        Assert.Contains("\"offset\":0}", (string)run.Reads.MinBy(r => r.StartTimeUtc)!.GetTagItem("pleiades.sse.first_id")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_kafka_publish_span_of_a_batch_is_a_child_of_its_read_span()
    {
        var run = await RunAsync();

        Assert.NotEmpty(run.Publishes);
        Assert.All(run.Publishes, publish => Assert.Equal(ActivityKind.Producer, publish.Kind));
        foreach (var publish in run.Publishes)
        {
            // The parent is a read span of this run, in the same trace, for the same events.
            var read = Assert.Single(run.Reads, r => r.SpanId == publish.ParentSpanId);
            Assert.Equal((read.TraceId, EventsOf(read)), (publish.TraceId, EventsOf(publish)));
        }

        Assert.Equal(run.Reads.Count, run.Publishes.Select(p => p.ParentSpanId).Distinct().Count());
    }

    [Fact]
    public async Task The_first_message_of_a_batch_carries_its_publish_span_in_the_traceparent_header()
    {
        var run = await RunAsync();

        var spans = run.Publishes.ToDictionary(p => $"00-{p.TraceId}-{p.SpanId}-01");
        var traced = run.Messages.Where(m => m.Message.Headers.TryGetLastBytes("traceparent", out _)).ToList();
        // One partition: each publish writes one run, so one traced message per publish span, each naming its own.
        Assert.Equal(run.Publishes.Count, traced.Count);
        Assert.Equal(spans.Keys.Order(), traced.Select(TraceParentOf).Order());
        Assert.All(run.Messages.Except(traced), m => Assert.Empty(m.Message.Headers));

        // The first event's message names the publish span of the first read: the read's trace crosses the topic.
        var first = run.Messages.Single(m => TopicReader.SequenceOf(m) == 0);
        var publish = spans[TraceParentOf(first)];
        var read = run.Reads.Single(r => r.SpanId == publish.ParentSpanId);
        Assert.Contains("\"offset\":0}", (string)read.GetTagItem("pleiades.sse.first_id")!, StringComparison.Ordinal);
    }

    private static int EventsOf(Activity span) => Convert.ToInt32(span.GetTagItem("messaging.batch.message_count"), System.Globalization.CultureInfo.InvariantCulture);

    private static string TraceParentOf(ConsumeResult<byte[]?, byte[]> message) =>
        message.Message.Headers.TryGetLastBytes("traceparent", out var value) ? Encoding.UTF8.GetString(value) : "";

    /// <summary>Relays the 100 sample events into a topic of its own (one partition) and returns the spans and messages.</summary>
    private static async Task<TraceRun> RunAsync()
    {
        var topic = "trace-" + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is IngestTelemetry.Name or KafkaTraceContext.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic(topic, 1);
        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());
        var settings = IngestKafkaTests.KafkaSettings(cluster, replay.StreamUrl, state.Path);
        settings["EventLog:Kafka:Topic"] = topic;

        await using var ingest = await IngestHost.StartAsync(settings);
        await ingest.WaitForPublishedAsync(Events, TimeSpan.FromSeconds(30));
        var messages = TopicReader.ReadAll(cluster.BootstrapServers, topic, 1, Events);
        Assert.Equal(Events, messages.Count);

        var spans = stopped.ToList();
        var publishes = spans.Where(s => s.Source.Name == KafkaTraceContext.ActivitySourceName && s.OperationName == $"{topic} publish").ToList();
        // The Ingest tests run one at a time (their collection), so every read span since the listener began is this run's.
        var reads = spans.Where(s => s.Source.Name == IngestTelemetry.Name && s.OperationName == IngestTelemetry.ReadSpanName).ToList();
        return new TraceRun(reads, publishes, messages);
    }

    private sealed record TraceRun(List<Activity> Reads, List<Activity> Publishes, List<ConsumeResult<byte[]?, byte[]>> Messages);
}
