using Pleiades.Hosting.Embedded;
using Pleiades.Ingest;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>
/// The Ingest killed while a batch had reached one partition and not the other, then restarted: the case for which
/// it resumes at the end of the unbroken run of publish sequences, not after the highest one (PublishedTail).
/// </summary>
[Trait("Category", "Integration")]
public class IngestKafkaResumeTests
{
    private const string Topic = "pleiades-events";
    private const int Copies = 10;
    private const int Total = 100 * Copies;
    private const int OpenBroker = 1;
    private const int BlockedBroker = 2;
    private const int OpenPartition = 1;
    private const int BlockedPartition = 0;

    [Fact]
    public async Task Killed_with_a_batch_delivered_to_one_partition_but_not_the_other_the_restarted_ingest_leaves_every_event_in_the_topic_once()
    {
        // One partition a broker, so that one partition can stop taking writes while the other goes on.
        using var cluster = KafkaMockCluster.Start(brokerCount: 2);
        cluster.CreateTopic(Topic, 2);
        cluster.SetPartitionLeader(Topic, OpenPartition, OpenBroker);
        cluster.SetPartitionLeader(Topic, BlockedPartition, BlockedBroker);
        // A produce round-trip takes 100 ms, in which the relay fills the buffer again: every batch after the first is
        // a whole one (64 events over both partitions), so the batch cut short holds events of both, interleaved.
        SetRoundTripTime(cluster, TimeSpan.FromMilliseconds(100));

        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = Copies });

        long undelivered, delivered;
        await using (var first = await IngestProcess.StartKafkaAsync(replay.StreamUrl, cluster.BootstrapServers, Topic, state.Path))
        {
            await Eventually.WaitUntilAsync(
                async () => (MetricsText.OptionalValue(await first.ScrapeMetricsAsync(TestContext.Current.CancellationToken), "pleiades_kafka_publish_events_total") ?? 0) >= 300,
                TimeSpan.FromSeconds(30),
                "300 events reaching Kafka");

            // Far more rejections than the producer's retries (at most ten a second) use up before the kill.
            cluster.RejectProduceRequests(BlockedBroker, 10_000);
            (undelivered, delivered) = WaitForBatchCutShort(cluster);
            await first.KillAsync();
        }

        // The blocked partition takes writes again (from the other broker); what the killed Ingest had not delivered died with it.
        cluster.SetPartitionLeader(Topic, BlockedPartition, OpenBroker);
        SetRoundTripTime(cluster, TimeSpan.Zero);

        await using var second = await IngestProcess.StartKafkaAsync(replay.StreamUrl, cluster.BootstrapServers, Topic, state.Path);
        var expected = Enumerable.Range(0, Total).Select(i => MetaIdOf(replay.Capture.DataOf(i))).ToList();
        Assert.Equal(Total, expected.Distinct().Count());

        var found = TopicReader.ReadAll(cluster.BootstrapServers, Topic, 2, Total).Select(m => MetaIdOf(m.Message.Value)).ToList();
        var missing = expected.Except(found).Count();
        var twice = found.GroupBy(id => id).Count(g => g.Count() > 1);
        Assert.True(
            missing == 0 && twice == 0 && found.Count == Total,
            $"the topic holds {found.Count} events for {Total}: {missing} missing, {twice} twice " +
            $"(killed when sequence {undelivered} had not reached the topic and sequence {delivered} had)");

        // It resumed before the later events of the batch cut short, so the ones that had reached the topic came again and were dropped.
        var metrics = await second.ScrapeMetricsAsync(TestContext.Current.CancellationToken);
        Assert.True(MetricsText.Value(metrics, "pleiades_ingest_duplicates_dropped_total") > 0, "the restart read again events that had reached the topic");
    }

    private static void SetRoundTripTime(KafkaMockCluster cluster, TimeSpan roundTrip)
    {
        cluster.SetRoundTripTime(OpenBroker, roundTrip);
        cluster.SetRoundTripTime(BlockedBroker, roundTrip);
    }

    /// <summary>
    /// Reads the topic until a publish sequence is missing below one the open partition holds: an event of the batch
    /// cut short that never reached the topic, and a later one of the same batch that did. Exact, because the reader
    /// starts after the blocked partition stopped taking writes (its end is final) and the open partition holds its
    /// sequences in order (any of them below the one read has been read).
    /// </summary>
    private static (long Undelivered, long Delivered) WaitForBatchCutShort(KafkaMockCluster cluster)
    {
        using var reader = new TopicReader(cluster.BootstrapServers, Topic, 2);
        long? undelivered = null;
        long delivered = -1;
        var cutShort = reader.ReadUntil(
            () =>
            {
                if (!reader.IsAtEnd(BlockedPartition))
                {
                    return false;
                }

                var sequences = reader.Messages.Select(TopicReader.SequenceOf).ToHashSet();
                delivered = reader.Messages.Where(m => m.Partition.Value == OpenPartition).Select(TopicReader.SequenceOf).DefaultIfEmpty(-1).Max();
                undelivered = Enumerable.Range(0, (int)Math.Max(delivered, 0)).Select(s => (long?)s).FirstOrDefault(s => !sequences.Contains(s!.Value));
                return undelivered is not null;
            },
            TimeSpan.FromSeconds(30));

        Assert.True(cutShort, $"no batch was cut short: the open partition holds sequences up to {delivered}, with none missing below");
        return (undelivered!.Value, delivered);
    }

    private static Guid MetaIdOf(ReadOnlySpan<byte> data) =>
        EventMetadata.Read(data).MetaId ?? throw new InvalidOperationException("an event without meta.id");
}
