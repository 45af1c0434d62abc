using System.Diagnostics;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Pleiades.EventLog.Kafka;
using Pleiades.Ingest.Relay;

namespace Pleiades.Ingest.Publishing;

/// <summary>
/// Publishes events to Kafka: the value is the event's JSON exactly as received, the key its
/// <see cref="KafkaPosition"/> (publish sequence and SSE id), and no headers but the publish's trace context on the
/// first message the batch writes to each partition (a header costs CPU on every message: docs/performance-notes.md,
/// "Optimisations in detail"). Events go to the partitions in runs of consecutive events (<see cref="KafkaPublisherOptions.PartitionRun"/>),
/// round-robin, rather than by the key's hash: a run makes one large compressed message set where hashing made one
/// small one per partition per request. The producer is idempotent with
/// <c>acks=all</c> and no message timeout: while the broker is down, deliveries wait and the buffer upstream fills
/// (backpressure), and librdkafka's retries never duplicate.
/// A batch is acknowledged when every message of it is delivered; a retried batch re-sends only the undelivered ones.
/// </summary>
public sealed class KafkaPublisher(
    IProducer<byte[]?, byte[]> producer,
    KafkaPublisherOptions settings,
    IngestTelemetry telemetry,
    ILogger<KafkaPublisher> logger) : IEventPublisher
{
    private const int MaxTailMessagesPerPartition = 1_000;
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(10);

    private long _nextSequence;
    private IReadOnlyList<IngestedEvent>? _batch;
    private bool[] _delivered = [];
    private long _batchSequence;
    private TopicPartition[] _partitions = [];

    public string Name => "kafka";

    public async Task<ResumePoint?> OpenAsync(CancellationToken cancellationToken)
    {
        telemetry.IsKafka = true;
        telemetry.KafkaWriterErrors.Add(0);
        // The admin and consumer calls block (up to their timeouts): off the caller's thread, abandoned on shutdown.
        var partitions = await Task.Run(EnsureTopicAsync, cancellationToken).WaitAsync(cancellationToken);
        _partitions = [.. partitions.Order().Select(p => new TopicPartition(settings.Topic, p))];
        return await Task.Run(() => ReadTail(partitions, cancellationToken), cancellationToken).WaitAsync(cancellationToken);
    }

    public async Task PublishAsync(IReadOnlyList<IngestedEvent> batch, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(batch, _batch))
        {
            _batch = batch;
            _delivered = new bool[batch.Count];
            _batchSequence = _nextSequence;
            _nextSequence += batch.Count;
        }

        using var activity = KafkaTraceContext.Source.StartActivity($"{settings.Topic} publish", System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", settings.Topic);
        activity?.SetTag("messaging.batch.message_count", batch.Count);

        var writeStarted = Stopwatch.GetTimestamp();
        var traceHeaders = KafkaTraceContext.ContextHeaders(activity);
        var attempted = _delivered.Count(d => !d);
        var outstanding = attempted;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = 0;
        Error? firstError = null;
        TopicPartition? previousPartition = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (_delivered[i])
            {
                continue;
            }

            var index = i;
            var partition = PartitionOf(_batchSequence + i);
            var message = ToMessage(batch[i], _batchSequence + i, partition.Equals(previousPartition) ? [] : traceHeaders);
            previousPartition = partition;
            void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failures);
                    firstError ??= report.Error;
                }
                else
                {
                    _delivered[index] = true;
                }

                if (Interlocked.Decrement(ref outstanding) == 0)
                {
                    done.TrySetResult();
                }
            }

            while (true)
            {
                try
                {
                    producer.Produce(partition, message, OnDelivery);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // librdkafka's queue is full: wait for deliveries to make room.
                    cancellationToken.ThrowIfCancellationRequested();
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        var waitStarted = Stopwatch.GetTimestamp();
        telemetry.KafkaWriteTime.Record(Stopwatch.GetElapsedTime(writeStarted, waitStarted));
        if (outstanding > 0)
        {
            await done.Task.WaitAsync(cancellationToken);
        }

        telemetry.KafkaWaitTime.Record(Stopwatch.GetElapsedTime(waitStarted));

        telemetry.KafkaPublishEvents.Add(attempted - failures);
        if (failures > 0)
        {
            telemetry.KafkaWriterErrors.Add(failures);
            throw new KafkaException(firstError ?? new Error(ErrorCode.Unknown));
        }

        telemetry.KafkaPublishWrites.Add(1);
        _batch = null;
    }

    public ValueTask DisposeAsync()
    {
        // Everything acknowledged is delivered already; flushing only bounds the wait for stragglers of an abandoned batch.
        producer.Flush(TimeSpan.FromSeconds(2));
        return ValueTask.CompletedTask;
    }

    /// <summary>The partition of the event with publish sequence <paramref name="sequence"/>; any (the key's) while the topic's partitions are unknown.</summary>
    private TopicPartition PartitionOf(long sequence) =>
        _partitions.Length == 0
            ? new TopicPartition(settings.Topic, Partition.Any)
            : _partitions[(int)(sequence / settings.PartitionRun % _partitions.Length)];

    private static Message<byte[]?, byte[]> ToMessage(IngestedEvent ingested, long sequence, IReadOnlyList<Header> traceHeaders)
    {
        Headers? headers = null;
        foreach (var header in traceHeaders)
        {
            headers ??= [];
            headers.Add(header);
        }

        return new Message<byte[]?, byte[]>
        {
            Key = KafkaPosition.Key(sequence, ingested.Id.Span),
            Value = AsArray(ingested.Data),
            Headers = headers,
        };
    }

    /// <summary>The frame's own array when the memory is all of one (the parser allocates exactly), else a copy.</summary>
    private static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();

    /// <summary>Creates the topic when it is missing; returns its partitions. A broker that cannot create topics (the mock cluster) is tolerated.</summary>
    private async Task<List<int>> EnsureTopicAsync()
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

    /// <summary>Reads the last messages of every partition back; <see cref="PublishedTail"/> says where to resume.</summary>
    private ResumePoint? ReadTail(List<int> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return null;
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
            return null;
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
        _nextSequence = tail.MaxSequence + 1;
        return tail.ResumePoint() is { } point
            ? new ResumePoint(point.SseId, point.TimeUnixMs, recent, $"Kafka topic {settings.Topic}")
            : null;
    }
}
