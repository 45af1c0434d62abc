using System.Diagnostics;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Pleiades.EventLog.Kafka;
using Pleiades.Ingest.Telemetry;

namespace Pleiades.Ingest.Sink;

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
        var opener = new KafkaTopicOpener(settings, logger);
        var partitions = await Task.Run(opener.EnsureTopicAsync, cancellationToken).WaitAsync(cancellationToken);
        _partitions = [.. partitions.Order().Select(p => new TopicPartition(settings.Topic, p))];
        var (resume, nextSequence) = await Task.Run(() => opener.ReadTail(partitions, cancellationToken), cancellationToken).WaitAsync(cancellationToken);
        _nextSequence = nextSequence;
        return resume;
    }

    public async Task PublishAsync(IReadOnlyList<IngestedEvent> batch, ActivityContext read, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(batch, _batch))
        {
            _batch = batch;
            _delivered = new bool[batch.Count];
            _batchSequence = _nextSequence;
            _nextSequence += batch.Count;
        }

        using var activity = KafkaTraceContext.Source.StartActivity($"{settings.Topic} publish", ActivityKind.Producer, read);
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
}
