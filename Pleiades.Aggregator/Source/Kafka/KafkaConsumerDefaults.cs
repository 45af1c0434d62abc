using Confluent.Kafka;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>What the Aggregator's consumer must be (offsets from Redis, incremental rebalances) and its librdkafka defaults.</summary>
public static class KafkaConsumerDefaults
{
    /// <summary>
    /// Adds to the user's consumer <paramref name="config"/> what the loop needs (its brokers, group and offset handling)
    /// and its defaults; <see cref="KafkaSourceSettings.Problems"/> asks librdkafka about the result at start.
    /// </summary>
    public static void AddLoopSettings(ConsumerConfig config, KafkaSourceSettings settings)
    {
        config.BootstrapServers = settings.BootstrapServers;
        config.GroupId = settings.Group;
        // Positions come from Redis on every assignment; Kafka's committed offsets are informational only.
        config.EnableAutoCommit = true;
        config.EnableAutoOffsetStore = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnablePartitionEof = false;
        // Incremental rebalances: a member keeps consuming the partitions it keeps while others move. The consumer
        // protocol (KIP-848, group.protocol=consumer, Kafka 4.0+) is incremental by design, assigns on the broker and
        // refuses this setting, which made every Aggregator fail to start with it (BENCHMARKS.md, "Rebalances").
        if (config.GroupProtocol != GroupProtocol.Consumer)
        {
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        }

        // The loop reads each message's value, partition, offset and headers (the trace context the Ingest puts on the
        // first message of each partition run): leaving the topic name and timestamp in librdkafka saves marshalling
        // and allocating them for every message (BENCHMARKS.md); most messages carry no headers, so reading them is cheap.
        if (config.Get(ConfigPropertyNames.Consumer.ConsumeResultFields) is null)
        {
            config.ConsumeResultFields = "headers";
        }

        // librdkafka prefetches up to 64 MiB by default, most of the process's native memory. A partition whose
        // prefetch is full is not fetched again for fetch.queue.backoff.ms, 1 s by default, so a small prefetch alone
        // leaves the loop waiting most of that second; with a 20 ms backoff, 8 MiB keeps up at less memory than the
        // defaults (docs/performance-notes.md, "Prefetch and its backoff").
        config.QueuedMaxMessagesKbytes ??= 8 * 1024;
        config.FetchQueueBackoffMs ??= 20;
    }
}
