using Confluent.Kafka;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Telemetry;
using Pleiades.EventLog.Kafka;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>
/// The partitions a member owns and where each resumes: librdkafka's rebalance handlers (assigned, revoked, lost) and
/// the resync to the stored positions after a stale or dropped batch. Every resume starts from Redis's positions.
/// </summary>
/// <remarks>Called on the loop's thread: librdkafka runs the rebalance handlers from inside <c>Consume</c>.</remarks>
internal sealed class KafkaPartitionAssignment(
    BatchPipeline pipeline,
    StoredPositionReader positions,
    KafkaContinuity continuity,
    KafkaConnectionLog connection,
    ILogger logger,
    CancellationToken stopping,
    CancellationToken commits)
{
    private static readonly TimeSpan RevokeCommitTimeout = TimeSpan.FromSeconds(10);

    private volatile int _assignedPartitions;

    /// <summary>How many partitions this member owns now.</summary>
    public int Count => _assignedPartitions;

    /// <summary>True when the member must go back to the stored positions before reading on (<see cref="Resync"/>).</summary>
    public bool ResyncNeeded { get; private set; }

    /// <summary>After a stale batch: the stored positions moved under this member.</summary>
    public void RequestResync() => ResyncNeeded = true;

    public List<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        connection.Reachable();
        var stored = positions.ReadAsync(pipeline.LogId, stopping).GetAwaiter().GetResult();
        var offsets = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            offsets.Add(ResumeAt(partition, stored));
        }

        _assignedPartitions += partitions.Count;
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Assigned(string.Join(",", partitions.Select(p => p.Partition.Value)), string.Join(",", offsets.Select(o => o.Offset)));
        }

        return offsets;
    }

    public void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        if (partitions.Any(p => pipeline.Holds(KafkaPartitionName.Of(p.Partition.Value))))
        {
            // Hand the partitions over with their counts applied, so the next owner starts where this one stopped.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(commits);
            timeout.CancelAfter(RevokeCommitTimeout);
            bool flushed;
            try
            {
                flushed = pipeline.FlushAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                logger.RevokeCommitFailed();
                flushed = false;
            }

            if (!flushed)
            {
                pipeline.DiscardCurrent();
                ResyncNeeded = true;
            }
        }

        Forget(partitions);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Revoked(string.Join(",", partitions.Select(p => p.Partition.Value)));
        }
    }

    public void OnLost(List<TopicPartitionOffset> partitions)
    {
        // Another member may own them now: what is not yet sent is no longer ours to apply. Read again what is left.
        pipeline.DiscardCurrent();
        Forget(partitions);
        ResyncNeeded = true;
        if (logger.IsEnabled(LogLevel.Warning))
        {
            logger.Lost(string.Join(",", partitions.Select(p => p.Partition.Value)));
        }
    }

    /// <summary>Goes back to the stored positions of every partition still assigned (after a stale or dropped batch).</summary>
    public void Resync(IConsumer<Ignore, byte[]> consumer)
    {
        var stored = positions.ReadAfterInFlightAsync(pipeline, stopping).GetAwaiter().GetResult();
        try
        {
            foreach (var partition in consumer.Assignment)
            {
                consumer.Seek(ResumeAt(partition, stored));
            }

            ResyncNeeded = false;
        }
        catch (KafkaException e)
        {
            // A partition may not be fetching yet; try again on the next round.
            logger.SeekFailed(e.Error.Reason);
        }
    }

    /// <summary>Where <paramref name="partition"/> resumes: its stored position, or the beginning when nothing of it was ever counted.</summary>
    private TopicPartitionOffset ResumeAt(TopicPartition partition, IReadOnlyDictionary<string, long> stored)
    {
        var next = pipeline.ResumeFrom(KafkaPartitionName.Of(partition.Partition.Value), stored);
        continuity.ExpectFrom(partition.Partition.Value, next);
        return new TopicPartitionOffset(partition, next == BatchPosition.None ? Offset.Beginning : new Offset(next));
    }

    private void Forget(List<TopicPartitionOffset> partitions)
    {
        foreach (var partition in partitions)
        {
            pipeline.ForgetPartition(KafkaPartitionName.Of(partition.Partition.Value));
            continuity.Forget(partition.Partition.Value);
        }

        _assignedPartitions -= partitions.Count;
    }
}
