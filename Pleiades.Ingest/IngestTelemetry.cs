using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pleiades.Ingest.Relay;
using Pleiades.Sse;

namespace Pleiades.Ingest;

/// <summary>
/// The Ingest's one Meter and ActivitySource, both named after the assembly (ServiceDefaults exports them).
/// Instrument names give CONTRACT.md's Prometheus names once the exporter appends <c>_total</c> to counters
/// and the unit to gauges; <c>pleiades_goroutine_restarts</c> keeps the original's exact name, so it is an
/// up-down counter that only goes up (exported as a gauge).
/// </summary>
public sealed class IngestTelemetry : IDisposable
{
    public const string Name = "Pleiades.Ingest";

    private readonly Meter _meter;
    private long _lastPublishLagMs;

    public IngestTelemetry(IMeterFactory meterFactory, RelayProgress progress)
    {
        _meter = meterFactory.Create(Name);
        ReceivedEvents = _meter.CreateCounter<long>("pleiades_recv_events", description: "Events received from the stream");
        // Exported from the start, as the original's was: "no events yet" is 0, which rate() and alerts can read, not a missing series.
        ReceivedEvents.Add(0);
        _meter.CreateObservableCounter("pleiades_recv_event_lines", () => LineMeasurements(progress.Lines),
            description: "Lines read from the stream, by type (data, id, event, retry, comment, unknown)");
        ReceiveErrors = _meter.CreateCounter<long>("pleiades_recv_errors", description: "Errors while receiving, by type");
        Restarts = _meter.CreateUpDownCounter<long>("pleiades_goroutine_restarts", description: "Restarts of the Ingest's internal loops, by component");
        Reconnects = _meter.CreateCounter<long>("pleiades_ingest_reconnects", description: "Reconnects to the stream, by reason");
        Duplicates = _meter.CreateCounter<long>("pleiades_ingest_duplicates_dropped", description: "Events dropped because their meta.id was relayed recently");
        FilePublishEvents = _meter.CreateCounter<long>("pleiades_file_publish_events", description: "Events written to the file log");
        FilePublishErrors = _meter.CreateCounter<long>("pleiades_file_publish_errors", description: "Errors writing the file log (the batch is retried)");
        FileSegmentsDeleted = _meter.CreateCounter<long>("pleiades_ingest_file_segments_deleted", description: "File log segments deleted by retention, by reason (age, size)");
        FileBytesDeleted = _meter.CreateCounter<long>("pleiades_ingest_file_deleted_bytes", description: "Bytes of file log segments deleted by retention, by reason (age, size)");
        KafkaPublishEvents = _meter.CreateCounter<long>("pleiades_kafka_publish_events", description: "Events acknowledged by Kafka");
        KafkaPublishWrites = _meter.CreateCounter<long>("pleiades_kafka_publish_writes", description: "Batches acknowledged by Kafka");
        KafkaWriterErrors = _meter.CreateCounter<long>("pleiades_kafka_writer_errors", description: "Kafka produce errors (the batch is retried)");
        _meter.CreateObservableGauge("pleiades_kafka_publish_lag", () => IsKafka ? Interlocked.Read(ref _lastPublishLagMs) : 0, unit: "ms",
            description: "Time from an event's meta.dt to its acknowledgement by Kafka, for the last published batch");
        _meter.CreateObservableGauge("pleiades_file_publish_lag", () => IsKafka ? 0 : Interlocked.Read(ref _lastPublishLagMs), unit: "ms",
            description: "Time from an event's meta.dt to its flush into the file log, for the last published batch");
        ActivitySource = new ActivitySource(Name);
    }

    public Counter<long> ReceivedEvents { get; }

    public Counter<long> ReceiveErrors { get; }

    public UpDownCounter<long> Restarts { get; }

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

    /// <summary>Which publish lag gauge reports (the other stays 0).</summary>
    public bool IsKafka { get; set; }

    public void RecordPublishLag(long lagMs) => Interlocked.Exchange(ref _lastPublishLagMs, lagMs);

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
