using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Pleiades.Aggregator.Counting;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>
/// What lag tooling sees of a member: the positions it sent stored as Kafka offsets (Redis holds the ones that
/// count), and the <c>pleiades_aggregator_consumer_lag_messages</c> gauge per assigned partition.
/// </summary>
internal sealed class KafkaConsumerLag
{
    private volatile Measurement<long>[] _lag = [];

    /// <summary>The latest lag of each assigned partition, for the gauge.</summary>
    public IEnumerable<Measurement<long>> Current => _lag;

    /// <summary>Records <paramref name="pipeline"/>'s positions (just sent) as offsets and measures the lag behind them.</summary>
    public void Update(IConsumer<Ignore, byte[]> consumer, BatchPipeline pipeline)
    {
        var lag = new List<Measurement<long>>();
        foreach (var partition in consumer.Assignment)
        {
            if (!pipeline.StoredPositions.TryGetValue(KafkaPartitionName.Of(partition.Partition.Value), out var next))
            {
                continue;
            }

            if (next >= 0)
            {
                try
                {
                    consumer.StoreOffset(new TopicPartitionOffset(partition, next));
                }
                catch (KafkaException)
                {
                    // The partition is being revoked.
                }
            }

            var high = consumer.GetWatermarkOffsets(partition).High;
            if (!high.IsSpecial)
            {
                lag.Add(new Measurement<long>(Math.Max(0, high.Value - Math.Max(0, next)), new KeyValuePair<string, object?>("partition", partition.Partition.Value)));
            }
        }

        _lag = [.. lag];
    }
}
