using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Pleiades.Ingest.Sink;

/// <summary>
/// Opens the Ingest's topic for the <see cref="KafkaPublisher"/>: creates it when it is missing, lists its partitions
/// and reads its last messages back to say where the stream resumes, each with a short-lived admin or consumer client
/// of its own, never the producer's.
/// </summary>
internal sealed class KafkaTopicOpener(KafkaPublisherOptions settings, ILogger logger)
{
    private const int MaxTailMessagesPerPartition = 1_000;
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the topic when it is missing; returns its partitions. A broker that cannot create topics (the mock cluster) is tolerated.</summary>
    public async Task<List<int>> EnsureTopicAsync()
    {
        // Its own client, not one sharing the producer's handle: an admin call abandoned at shutdown must not hold up
        // the producer's disposal until the call times out.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = settings.BootstrapServers() }).Build();
        var topic = FindTopic(admin);
        if (topic is null)
        {
            try
            {
                await admin.CreateTopicsAsync(
                    [new TopicSpecification { Name = settings.Topic, NumPartitions = settings.Partitions, ReplicationFactor = -1 }],
                    new CreateTopicsOptions { RequestTimeout = AdminTimeout });
                logger.LogInformation("Created Kafka topic {Topic} with {Partitions} partitions", settings.Topic, settings.Partitions);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                // Created meanwhile by someone else.
            }
            catch (KafkaException e)
            {
                logger.LogWarning("Could not create Kafka topic {Topic} ({Reason}); relying on the broker's automatic topic creation", settings.Topic, e.Error.Reason);
            }

            topic = FindTopic(admin);
        }

        return topic?.Partitions.Select(p => p.PartitionId).ToList() ?? [];
    }

    private TopicMetadata? FindTopic(IAdminClient admin) =>
        admin.GetMetadata(AdminTimeout).Topics.Find(t => t.Topic == settings.Topic && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0);

    /// <summary>
    /// Reads the last messages of every partition back; <see cref="PublishedTail"/> says where to resume. Returns that
    /// point (null when the topic is empty) and the publish sequence of the next event.
    /// </summary>
    public (ResumePoint? Resume, long NextSequence) ReadTail(List<int> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return (null, 0);
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = settings.BootstrapServers(),
            GroupId = "pleiades-ingest-resume",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            AllowAutoCreateTopics = false,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(config).Build();
        // Events after the resume point that reached the topic are dropped by their meta.ids, which must therefore all fit
        // in the deduplication window: the tail read back is bounded by it.
        var perPartition = Math.Clamp(settings.TailMessages / partitions.Count, 1, MaxTailMessagesPerPartition);
        var starts = new List<TopicPartitionOffset>();
        var remaining = 0;
        foreach (var partition in partitions)
        {
            var tp = new TopicPartition(settings.Topic, partition);
            var marks = consumer.QueryWatermarkOffsets(tp, AdminTimeout);
            if (marks.High > marks.Low)
            {
                starts.Add(new TopicPartitionOffset(tp, Math.Max(marks.Low, marks.High - perPartition)));
                remaining++;
            }
        }

        if (remaining == 0)
        {
            return (null, 0);
        }

        consumer.Assign(starts);
        var recent = new List<Guid>();
        var tail = new PublishedTail();
        var deadline = DateTime.UtcNow + AdminTimeout;
        while (remaining > 0 && DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                remaining--;
                continue;
            }

            var metadata = EventMetadata.Read(result.Message.Value);
            if (metadata.MetaId is { } metaId)
            {
                recent.Add(metaId);
            }

            if (KafkaPosition.TryRead(result.Message, out var sequence, out var sseId))
            {
                tail.Add(result.Partition.Value, sequence, sseId, metadata.TimeUnixMs);
            }
        }

        consumer.Close();
        var resume = tail.ResumePoint() is { } point
            ? new ResumePoint(point.SseId, point.TimeUnixMs, recent, $"Kafka topic {settings.Topic}")
            : null;
        return (resume, tail.MaxSequence + 1);
    }
}
