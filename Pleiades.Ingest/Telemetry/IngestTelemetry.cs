using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Pleiades.Sse;

namespace Pleiades.Ingest.Telemetry;

/// <summary>
/// The Ingest's one Meter and ActivitySource, both named after the assembly (ServiceDefaults exports them).
/// Instrument names are the contract's Prometheus names (docs/contract.md, section 4): counters spell out
/// <c>_total</c> where the original's did (the exporter appends none, so <c>pleiades_goroutine_restarts</c>
/// stays a counter under its original name), and the exporter appends the unit to gauges. Series whose label
/// values are known in advance start at zero, so rates and alerts see their first increase.
/// </summary>
public sealed class IngestTelemetry : IDisposable
{
    public const string Name = "Pleiades.Ingest";

    private readonly Meter _meter;
    private readonly Counter<long> _restarts;
    private long _lastPublishLagMs;

    public IngestTelemetry(IMeterFactory meterFactory, RelayProgress progress)
    {
        _meter = meterFactory.Create(Name);
        ReceivedEvents = _meter.CreateCounter<long>("pleiades_recv_events_total", description: "Events received from the stream");
        // Exported from the start, as the original's was: "no events yet" is 0, which rate() and alerts can read, not a missing series.
        ReceivedEvents.Add(0);
        _meter.CreateObservableCounter("pleiades_recv_event_lines_total", () => LineMeasurements(progress.Lines),
            description: "Lines read from the stream, by type (data, id, event, retry, comment, unknown)");
        ReceiveErrors = _meter.CreateCounter<long>("pleiades_recv_errors_total", description: "Errors while receiving, by type");
        _restarts = _meter.CreateCounter<long>("pleiades_goroutine_restarts", description: "Restarts of the Ingest's internal loops, by component");
        Reconnects = _meter.CreateCounter<long>("pleiades_ingest_reconnects_total", description: "Reconnects to the stream, by reason");
        Duplicates = _meter.CreateCounter<long>("pleiades_ingest_duplicates_dropped_total", description: "Events dropped because their meta.id was relayed recently");
        FilePublishEvents = _meter.CreateCounter<long>("pleiades_file_publish_events_total", description: "Events written to the file log");
        FilePublishErrors = _meter.CreateCounter<long>("pleiades_file_publish_errors_total", description: "Errors writing the file log (the batch is retried)");
        FileSegmentsDeleted = _meter.CreateCounter<long>("pleiades_ingest_file_segments_deleted_total", description: "File log segments deleted by retention, by reason (age, size)");
        FileBytesDeleted = _meter.CreateCounter<long>("pleiades_ingest_file_deleted_bytes_total", description: "Bytes of file log segments deleted by retention, by reason (age, size)");
        KafkaPublishEvents = _meter.CreateCounter<long>("pleiades_kafka_publish_events_total", description: "Events acknowledged by Kafka");
        KafkaPublishWrites = _meter.CreateCounter<long>("pleiades_kafka_publish_writes_total", description: "Batches acknowledged by Kafka");
        KafkaWriterErrors = _meter.CreateCounter<long>("pleiades_kafka_writer_errors_total", description: "Kafka produce errors (the batch is retried)");
        _meter.CreateObservableGauge("pleiades_kafka_publish_lag", () => IsKafka ? Interlocked.Read(ref _lastPublishLagMs) : 0, unit: "ms",
            description: "Time from an event's meta.dt to its acknowledgement by Kafka, for the last published batch");
        _meter.CreateObservableGauge("pleiades_file_publish_lag", () => IsKafka ? 0 : Interlocked.Read(ref _lastPublishLagMs), unit: "ms",
            description: "Time from an event's meta.dt to its flush into the file log, for the last published batch");
        _meter.CreateObservableGauge("pleiades_kafka_publish_write_time", () => IsKafka ? KafkaWriteTime.Collect() : [], unit: "s",
            description: "Time to hand one batch to the Kafka producer, min, max and avg over the batches since the last collection");
        _meter.CreateObservableGauge("pleiades_kafka_publish_wait_time", () => IsKafka ? KafkaWaitTime.Collect() : [], unit: "s",
            description: "Time waiting for Kafka to acknowledge one batch, min, max and avg over the batches since the last collection");
        ActivitySource = new ActivitySource(Name);

        foreach (var component in (string[])[RelayComponent, PublisherComponent])
        {
            _restarts.Add(0, new KeyValuePair<string, object?>("component", component));
        }

        Duplicates.Add(0);
    }

    /// <summary>The span of one batch of events read from the stream (<see cref="RecordRead"/>).</summary>
    public const string ReadSpanName = "recentchange read";

    /// <summary>The <c>component</c> of the loop that reads the stream.</summary>
    public const string RelayComponent = "relay";

    /// <summary>The <c>component</c> of the loop that writes the event log.</summary>
    public const string PublisherComponent = "publisher";

    /// <summary>The original's <c>type</c> of a file log write that failed.</summary>
    public static readonly KeyValuePair<string, object?> WriteError = new("type", "write");

    public Counter<long> ReceivedEvents { get; }

    public Counter<long> ReceiveErrors { get; }

    public Counter<long> Reconnects { get; }

    public Counter<long> Duplicates { get; }

    public Counter<long> FilePublishEvents { get; }

    public Counter<long> FilePublishErrors { get; }

    public Counter<long> FileSegmentsDeleted { get; }

    public Counter<long> FileBytesDeleted { get; }

    public Counter<long> KafkaPublishEvents { get; }

    public Counter<long> KafkaPublishWrites { get; }

    public Counter<long> KafkaWriterErrors { get; }

    public ActivitySource ActivitySource { get; }

    /// <summary>Durations of the Kafka producer's writes, for <c>pleiades_kafka_publish_write_time_seconds{agg}</c>.</summary>
    public DurationStatistics KafkaWriteTime { get; } = new();

    /// <summary>Durations of the waits for Kafka's acknowledgements, for <c>pleiades_kafka_publish_wait_time_seconds{agg}</c>.</summary>
    public DurationStatistics KafkaWaitTime { get; } = new();

    /// <summary>Which publish lag gauge reports (the other stays 0).</summary>
    public bool IsKafka { get; set; }

    /// <summary>Counts a restart of the loop <paramref name="component"/> (<see cref="RelayComponent"/>, <see cref="PublisherComponent"/>) after a failure.</summary>
    public void LoopRestarted(string component) => _restarts.Add(1, new KeyValuePair<string, object?>("component", component));

    public void RecordPublishLag(long lagMs) => Interlocked.Exchange(ref _lastPublishLagMs, lagMs);

    /// <summary>
    /// Records the span of reading <paramref name="batch"/> from the stream, from <paramref name="started"/> (when its
    /// first event was read) until now, and returns its context, the parent of the batch's publish spans (default when
    /// no one listens). One span per batch, never per event; the tags are computed only when the span is recorded.
    /// </summary>
    public ActivityContext RecordRead(IReadOnlyList<IngestedEvent> batch, DateTimeOffset started)
    {
        using var activity = ActivitySource.StartActivity(ReadSpanName, ActivityKind.Consumer, parentContext: default, startTime: started);
        if (activity is null)
        {
            return default;
        }

        if (activity.IsAllDataRequested && batch.Count > 0)
        {
            activity.SetTag("messaging.batch.message_count", batch.Count);
            activity.SetTag("pleiades.sse.first_id", Encoding.UTF8.GetString(batch[0].Id.Span));
            activity.SetTag("pleiades.sse.last_id", Encoding.UTF8.GetString(batch[^1].Id.Span));
            var (oldest, newest) = (long.MaxValue, 0L);
            foreach (var ingested in batch)
            {
                if (ingested.TimeUnixMs > 0)
                {
                    (oldest, newest) = (Math.Min(oldest, ingested.TimeUnixMs), Math.Max(newest, ingested.TimeUnixMs));
                }
            }

            if (newest > 0)
            {
                activity.SetTag("pleiades.meta_dt.oldest", DateTimeOffset.FromUnixTimeMilliseconds(oldest).ToString("O", CultureInfo.InvariantCulture));
                activity.SetTag("pleiades.meta_dt.newest", DateTimeOffset.FromUnixTimeMilliseconds(newest).ToString("O", CultureInfo.InvariantCulture));
            }
        }

        return activity.Context;
    }

    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }

    private static IEnumerable<Measurement<long>> LineMeasurements(SseLineCounts lines) =>
    [
        new(lines.Data, new KeyValuePair<string, object?>("type", "data")),
        new(lines.Id, new KeyValuePair<string, object?>("type", "id")),
        new(lines.Event, new KeyValuePair<string, object?>("type", "event")),
        new(lines.Retry, new KeyValuePair<string, object?>("type", "retry")),
        new(lines.Comment, new KeyValuePair<string, object?>("type", "comment")),
        new(lines.Unknown, new KeyValuePair<string, object?>("type", "unknown")),
    ];
}
