using System.Diagnostics;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Events;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// One batch being read: every record is parsed and counted (or dead-lettered) here, and the batch remembers,
/// per partition, the position it started from (taken from the reader's view of the stored positions) and the
/// position after its last record.
/// </summary>
/// <remarks>Used by one consuming loop at a time.</remarks>
public sealed class PendingBatch(
    string logId,
    IDictionary<string, long> storedPositions,
    AggregatorMetrics metrics,
    IDeadLetterSink deadLetters,
    MalformedRecordLog malformedLog,
    TimeProvider time,
    BatchTraceSource trace)
{
    // A batch spans few producer batches, each carrying its context on the first record of every partition run.
    private const int MaxTraceLinks = 64;

    private readonly RecentChangeParser _parser = new();
    private readonly Dictionary<string, BatchPosition> _positions = new(StringComparer.Ordinal);
    private readonly List<ActivityLink> _traceLinks = [];
    private long _startedTimestamp;

    public string LogId => logId;

    public CounterBatch Counters { get; } = new();

    /// <summary>Log records in the batch, counted or not.</summary>
    public int Records { get; private set; }

    public IReadOnlyCollection<BatchPosition> Positions => _positions.Values;

    /// <summary>How long ago the batch's first record was added (zero when empty).</summary>
    public TimeSpan Age => Records == 0 ? TimeSpan.Zero : time.GetElapsedTime(_startedTimestamp);

    /// <summary>How the batch is named in traces.</summary>
    public BatchTraceSource Trace => trace;

    /// <summary>The trace context of the first record that carried one (the parent of the batch's span), or none.</summary>
    public ActivityContext TraceParent { get; private set; }

    /// <summary>The other trace contexts the batch's records carried, each once.</summary>
    public IReadOnlyList<ActivityLink> TraceLinks => _traceLinks;

    /// <summary>Notes the trace context a record of the batch carried (none is ignored).</summary>
    public void AddTraceContext(ActivityContext context)
    {
        if (context == default || context == TraceParent)
        {
            return;
        }

        if (TraceParent == default)
        {
            TraceParent = context;
        }
        else if (_traceLinks.Count < MaxTraceLinks && !_traceLinks.Exists(link => link.Context == context))
        {
            _traceLinks.Add(new ActivityLink(context));
        }
    }

    public bool Contains(string partition) => _positions.ContainsKey(partition);

    /// <summary>True once the batch should be applied: it is full, or its first record has waited long enough.</summary>
    public bool IsDue(AggregatorOptions options) => Records >= options.BatchMaxEvents || (Records > 0 && Age >= options.BatchMaxDelay);

    /// <summary>Parses the record at <paramref name="position"/> of <paramref name="partition"/> and adds it;
    /// <paramref name="next"/> is where the record after it starts (a Kafka offset plus one, a file log's next record).</summary>
    public void Add(string partition, long position, long next, ReadOnlySpan<byte> record)
    {
        if (Records == 0)
        {
            _startedTimestamp = time.GetTimestamp();
        }

        Records++;
        _positions[partition] = _positions.TryGetValue(partition, out var existing)
            ? existing with { Next = next }
            : new BatchPosition(partition, storedPositions.TryGetValue(partition, out var from) ? from : BatchPosition.None, next);

        var status = _parser.Parse(record, out var change);
        switch (status)
        {
            case RecentChangeParseStatus.Counted:
                Counters.Add(change);
                if (_parser.IgnoredFields != RecentChangeFields.None)
                {
                    metrics.IgnoredFields(_parser.IgnoredFields);
                }

                metrics.EventAge(Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - change.EventUnixMs));
                break;
            case RecentChangeParseStatus.Canary:
                metrics.Canary();
                break;
            default:
                metrics.Malformed(status);
                var letter = new DeadLetter(record.ToArray(), status, _parser.LastProblemField, logId, partition, position);
                malformedLog.Report(letter);
                deadLetters.Send(letter);
                break;
        }
    }

    /// <summary>Moves the reader's view of the stored positions to this batch's ends (it has been sent).</summary>
    public void AdvanceStoredPositions()
    {
        foreach (var position in _positions.Values)
        {
            storedPositions[position.Field] = position.Next;
        }
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        _positions.Clear();
        Counters.Clear();
        TraceParent = default;
        _traceLinks.Clear();
        Records = 0;
    }
}
