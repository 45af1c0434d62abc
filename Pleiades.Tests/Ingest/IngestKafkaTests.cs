using System.Buffers;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.Hosting.Embedded;
using Pleiades.Ingest.Sink;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public class IngestKafkaTests
{
    private const string Topic = "pleiades-events";

    internal static Dictionary<string, string?> KafkaSettings(KafkaMockCluster cluster, Uri streamUrl, string stateDirectory)
    {
        var settings = IngestHost.BaseSettings(streamUrl, stateDirectory);
        settings["EventLog:Kafka:Enabled"] = "true";
        settings["EventLog:Kafka:Topic"] = Topic;
        settings["ConnectionStrings:kafka"] = cluster.BootstrapServers;
        return settings;
    }

    private static List<ConsumeResult<byte[]?, byte[]>> ReadTopic(KafkaMockCluster cluster, int partitions, int count) =>
        TopicReader.ReadAll(cluster.BootstrapServers, Topic, partitions, count);

    private static void AssertTopicHoldsExactly(List<ConsumeResult<byte[]?, byte[]>> messages, ReplayCapture capture, int total)
    {
        Assert.Equal(total, messages.Count);
        var bySequence = messages.OrderBy(TopicReader.SequenceOf).ToList();
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), bySequence.Select(TopicReader.SequenceOf));
        for (var i = 0; i < total; i++)
        {
            Assert.True(capture.DataOf(i).AsSpan().SequenceEqual(bySequence[i].Message.Value), $"message with sequence {i} is event {i} of the replay");
            var id = TopicReader.SseIdOf(bySequence[i]);
            Assert.Contains($"\"offset\":{i}}}", id, StringComparison.Ordinal);
        }

        foreach (var partition in messages.GroupBy(m => m.Partition.Value))
        {
            var sequences = partition.OrderBy(m => m.Offset.Value).Select(TopicReader.SequenceOf).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    [Fact]
    public async Task Events_reach_kafka_once_each_spread_over_partitions_and_a_restart_resumes_from_the_topic()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic(Topic, 3);
        using var state = new TemporaryDirectory();
        const int total = 100 * 40;
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = 40, Rate = 4_000 });
        var settings = KafkaSettings(cluster, replay.StreamUrl, state.Path);

        long publishedByFirst;
        await using (var first = await IngestHost.StartAsync(settings))
        {
            var progress = first.Services.GetRequiredService<Pleiades.Ingest.Telemetry.RelayProgress>();
            await first.WaitForPublishedAsync(500, TimeSpan.FromSeconds(30));
            await first.StopAsync();
            publishedByFirst = progress.Published;
        }

        Assert.InRange(publishedByFirst, 500, total - 1);

        await using (var second = await IngestHost.StartAsync(settings))
        {
            var messages = ReadTopic(cluster, 3, total);
            AssertTopicHoldsExactly(messages, replay.Capture, total);
            // Runs of 1,000 consecutive events per partition, round-robin: 0-999 on partition 0, 1,000-1,999 on 1, ...
            Assert.All(messages, m => Assert.Equal((int)(TopicReader.SequenceOf(m) / 1_000 % 3), m.Partition.Value));
            Assert.Equal(3, messages.Select(m => m.Partition.Value).Distinct().Count());
            // The position in the key, no headers but the publish's trace context on the first message a batch writes to
            // each partition (so on every run's first), not on every message.
            var traced = messages.Where(m => m.Message.Headers.TryGetLastBytes("traceparent", out _)).ToList();
            Assert.All(messages.Where(m => TopicReader.SequenceOf(m) % 1_000 == 0), m => Assert.Contains(m, traced));
            Assert.All(messages.GroupBy(m => m.Partition.Value), p => Assert.Contains(p.MinBy(m => m.Offset.Value), traced));
            Assert.InRange(traced.Count, 4, total / 10);
            Assert.All(messages.Except(traced), m => Assert.Empty(m.Message.Headers));

            var metrics = await second.ScrapeMetricsAsync();
            Assert.True(MetricsText.Value(metrics, "pleiades_kafka_publish_events_total") > 0);
            Assert.True(MetricsText.Value(metrics, "pleiades_kafka_publish_writes_total") > 0);
        }

        Assert.Contains(replay.Statistics.LastEventIds, id => id is not null);
    }

    [Fact]
    public async Task An_upgraded_ingest_resumes_after_messages_written_with_the_headers_of_earlier_versions()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic(Topic, 3);
        using var state = new TemporaryDirectory();
        const int total = 100 * 10;
        const int written = 250;
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = 10, Rate = 2_000 });

        // The first events as an Ingest before the position moved into the key wrote them: key meta.id, the SSE id
        // and the sequence in headers of their own.
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < written; i++)
            {
                var sequence = new byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(sequence, i);
                var sseId = new ArrayBufferWriter<byte>();
                ReplayStreamIds.Write(sseId, ReplayIdStyle.Offset, i, 0);
                producer.Produce(new TopicPartition(Topic, i / 100 % 3), new Message<byte[]?, byte[]>
                {
                    Key = Guid.NewGuid().ToByteArray(),
                    Value = replay.Capture.DataOf(i),
                    Headers = new Headers { { KafkaPosition.SseIdHeader, sseId.WrittenSpan.ToArray() }, { KafkaPosition.SequenceHeader, sequence } },
                });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        await using var ingest = await IngestHost.StartAsync(KafkaSettings(cluster, replay.StreamUrl, state.Path));
        var messages = ReadTopic(cluster, 3, total);
        AssertTopicHoldsExactly(messages, replay.Capture, total);
        Assert.Equal(written, messages.Count(m => m.Message.Headers.TryGetLastBytes(KafkaPosition.SequenceHeader, out _)));
        Assert.Contains(replay.Statistics.LastEventIds, id => id is not null && id.Contains($"\"offset\":{written - 1}}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_topic_that_the_broker_cannot_create_on_request_is_tolerated()
    {
        using var cluster = KafkaMockCluster.Start();
        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());

        await using var ingest = await IngestHost.StartAsync(KafkaSettings(cluster, replay.StreamUrl, state.Path));
        await ingest.WaitForPublishedAsync(100, TimeSpan.FromSeconds(30));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        AssertTopicHoldsExactly(ReadTopic(cluster, partitions, 100), replay.Capture, 100);
    }

    [Fact]
    public async Task A_broker_outage_delays_events_but_loses_and_repeats_none()
    {
        using var cluster = KafkaMockCluster.Start();
        cluster.CreateTopic(Topic, 3);
        using var state = new TemporaryDirectory();
        const int total = 100 * 10;
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = 10, Rate = 1_000 });

        await using var ingest = await IngestHost.StartAsync(KafkaSettings(cluster, replay.StreamUrl, state.Path));
        await ingest.WaitForPublishedAsync(200, TimeSpan.FromSeconds(30));

        // While the broker is away the relay keeps reading into its bounded buffer and the producer retries.
        var progress = ingest.Services.GetRequiredService<Pleiades.Ingest.Telemetry.RelayProgress>();
        cluster.SetBrokerDown();
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        // At 1,000 events/s everything would have been published by now had the outage not held it back.
        Assert.InRange(progress.Published, 200, total - 1);
        cluster.SetBrokerUp();

        AssertTopicHoldsExactly(ReadTopic(cluster, 3, total), replay.Capture, total);
    }
}
