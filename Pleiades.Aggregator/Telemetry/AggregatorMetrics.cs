using System.Diagnostics.Metrics;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Events;
using Pleiades.EventLog.FileLog;

namespace Pleiades.Aggregator.Telemetry;

/// <summary>
/// The Aggregator's instruments, on its one <see cref="Meter"/> named after the assembly. Names are chosen so the
/// Prometheus exporter prints them as they are (docs/contract.md, section 4): counters spell out <c>_total</c> where
/// the original's did (the exporter appends none), and no unit is set, so nothing else is appended.
/// </summary>
public sealed class AggregatorMetrics
{
    public const string MeterName = "Pleiades.Aggregator";

    // Event age spans milliseconds (live) to a week (a catch-up replay).
    private static readonly double[] AgeBuckets =
        [10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000];

    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Reading, counting and applying one batch: milliseconds (a small live batch) to tens of seconds (Redis retried).
    private static readonly double[] ProcessBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000];

    private static readonly long[] BatchSizeBuckets = [1, 10, 50, 100, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000];

    private readonly Counter<long> _events;
    private readonly Histogram<double> _eventAge;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _malformed;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _deadLetterErrors;
    private readonly Counter<long> _canaries;
    private readonly Counter<long> _ignoredFields;
    private readonly Counter<long> _redisRetries;
    private readonly Counter<long> _loopRestarts;
    private readonly Histogram<double> _kafkaProcessDuration;
    private readonly Histogram<double> _fileProcessDuration;
    private readonly Counter<long> _fileLogGaps;
    private readonly Counter<long> _fileLogLostBytes;
    private readonly Counter<long> _logGaps;
    private readonly Counter<long> _eventsLost;
    private Func<IEnumerable<Measurement<long>>>? _consumerLag;

    public AggregatorMetrics(IMeterFactory meterFactory)
    {
        // The factory owns (and disposes) the meter.
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("pleiades_aggregator_event_count_total", description: "Events counted into Redis (each once).");
        _eventAge = meter.CreateHistogram("pleiades_aggregator_message_lag_milliseconds", unit: null,
            description: "Age of each counted event (now minus meta.dt) when it was read, in milliseconds.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AgeBuckets });
        _batchSize = meter.CreateHistogram("pleiades_aggregator_batch_records", unit: null,
            description: "Log records per applied batch.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchSizeBuckets });
        _writeDuration = meter.CreateHistogram("pleiades_aggregator_redis_write_duration_seconds", unit: null,
            description: "Duration of one batch's Redis script call, in seconds.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _batches = meter.CreateCounter<long>("pleiades_aggregator_batches_total", description: "Batches sent to Redis, by result (applied, already_applied, stale).");
        _malformed = meter.CreateCounter<long>("pleiades_aggregator_malformed_events_total", description: "Log records skipped as malformed, by kind.");
        _deadLettered = meter.CreateCounter<long>("pleiades_aggregator_dead_lettered_events_total", description: "Malformed records written to the dead-letter destination.");
        _deadLetterErrors = meter.CreateCounter<long>("pleiades_aggregator_dead_letter_errors_total", description: "Malformed records the dead-letter destination failed to take.");
        _canaries = meter.CreateCounter<long>("pleiades_aggregator_canary_events_total", description: "Canary events ignored by design.");
        _redisRetries = meter.CreateCounter<long>("pleiades_aggregator_redis_retries_total", description: "Batch writes retried after a Redis error.");
        _loopRestarts = meter.CreateCounter<long>("pleiades_goroutine_restarts", description: "Restarts of the Aggregator's consuming loop after a failure, by component.");
        _kafkaProcessDuration = meter.CreateHistogram("pleiades_aggregator_kafka_process_duration_milliseconds", unit: null,
            description: "Time from a Kafka batch's first record read to the batch applied in Redis, in milliseconds.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProcessBuckets });
        _fileProcessDuration = meter.CreateHistogram("pleiades_aggregator_file_process_duration_milliseconds", unit: null,
            description: "Time from a file log batch's first record read to the batch applied in Redis, in milliseconds.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ProcessBuckets });
        _fileLogGaps = meter.CreateCounter<long>("pleiades_aggregator_file_log_gaps_total", description: "Times the file log's retention had deleted records before they were counted.");
        _ignoredFields = meter.CreateCounter<long>("pleiades_aggregator_ignored_fields_total", description: "Optional fields of counted events ignored for their wrong type, by field.");
        _fileLogLostBytes = meter.CreateCounter<long>("pleiades_aggregator_file_log_lost_bytes_total", description: "Bytes of file log records deleted by retention before they were counted (where deleted-segments tells their size).");
        _logGaps = meter.CreateCounter<long>("pleiades_aggregator_log_gaps_total", description: "Gaps found in the event log (records gone before they were counted), by source (file, kafka).");
        _eventsLost = meter.CreateCounter<long>("pleiades_aggregator_events_lost_total", description: "Events gone from the event log before they were counted, by source, each recorded once over all instances (the file log's are counted in bytes: pleiades_aggregator_file_log_lost_bytes_total).");
        // Series whose first increase an alert or a rate watches exist from the start (deploy/base/alerts.yaml).
        _events.Add(0);
        _deadLettered.Add(0);
        _deadLetterErrors.Add(0);
        _redisRetries.Add(0);
        meter.CreateObservableGauge("pleiades_aggregator_consumer_lag_messages", () => _consumerLag?.Invoke() ?? [],
            description: "Records between the applied position and the end of each assigned partition.");
    }

    public void EventsCounted(int count) => _events.Add(count);

    public void EventAge(double milliseconds) => _eventAge.Record(milliseconds);

    public void BatchApplied(int records, double seconds, BatchApplyResult result)
    {
        _batches.Add(1, new KeyValuePair<string, object?>("result", result switch
        {
            BatchApplyResult.Applied => "applied",
            BatchApplyResult.AlreadyApplied => "already_applied",
            _ => "stale",
        }));
        _writeDuration.Record(seconds);
        if (result != BatchApplyResult.Stale)
        {
            _batchSize.Record(records);
        }
    }

    public void Malformed(RecentChangeParseStatus kind) =>
        _malformed.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    public void DeadLettered() => _deadLettered.Add(1);

    public void DeadLetterFailed() => _deadLetterErrors.Add(1);

    public void Canary() => _canaries.Add(1);

    /// <summary>Counts each of <paramref name="fields"/> once under its JSON name.</summary>
    public void IgnoredFields(RecentChangeFields fields)
    {
        foreach (var (field, name) in RecentChangeFieldNames.All)
        {
            if ((fields & field) != 0)
            {
                _ignoredFields.Add(1, new KeyValuePair<string, object?>("field", name));
            }
        }
    }

    public void RedisRetry() => _redisRetries.Add(1);

    public void FileLogGap(long? lostBytes)
    {
        _fileLogGaps.Add(1);
        _fileLogLostBytes.Add(lostBytes ?? 0);
    }

    public void LogGap(string source) => _logGaps.Add(1, new KeyValuePair<string, object?>("source", source));

    public void EventsLost(string source, long events) => _eventsLost.Add(events, new KeyValuePair<string, object?>("source", source));

    /// <summary>Makes the loop's restart series exist (at zero) before its first restart, so rates and alerts see that one.</summary>
    public void LoopStarted(string component) => _loopRestarts.Add(0, new KeyValuePair<string, object?>("component", component));

    public void LoopRestarted(string component) => _loopRestarts.Add(1, new KeyValuePair<string, object?>("component", component));

    /// <summary>A batch of the log <paramref name="logId"/> was applied (or found applied) <paramref name="duration"/> after its first record was read.</summary>
    public void BatchProcessed(string logId, TimeSpan duration) =>
        (logId.StartsWith(FileLogIdentity.LogKeyPrefix, StringComparison.Ordinal) ? _fileProcessDuration : _kafkaProcessDuration)
            .Record(duration.TotalMilliseconds);

    /// <summary>Sets where the consumer-lag gauge reads from (the active source).</summary>
    public void ObserveConsumerLag(Func<IEnumerable<Measurement<long>>> source) => _consumerLag = source;
}
