using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// Two batches in turn: while one is being applied to Redis the next one is read and counted, so parsing and
/// Redis work overlap. At most one batch is in flight. The view of the stored positions moves on when a batch is
/// sent; if that batch turns out stale, the batch being filled (which started from it) is dropped too, and the
/// caller goes back to the positions in Redis.
/// </summary>
/// <remarks>Used by one consuming loop at a time.</remarks>
public sealed class BatchPipeline
{
    private readonly BatchCommitter _committer;
    private readonly Dictionary<string, long> _stored = new(StringComparer.Ordinal);
    private PendingBatch _filling;
    private PendingBatch _spare;
    private PendingBatch? _sent;
    private Task<BatchApplyResult>? _inFlight;

    public BatchPipeline(
        string logId, BatchCommitter committer, AggregatorMetrics metrics, IDeadLetterSink deadLetters, MalformedRecordLog malformedLog, TimeProvider time, BatchTraceSource? trace = null)
    {
        LogId = logId;
        _committer = committer;
        trace ??= new BatchTraceSource($"{logId} process", null, logId);
        _filling = new PendingBatch(logId, _stored, metrics, deadLetters, malformedLog, time, trace);
        _spare = new PendingBatch(logId, _stored, metrics, deadLetters, malformedLog, time, trace);
    }

    public string LogId { get; }

    /// <summary>The batch records are added to.</summary>
    public PendingBatch Current => _filling;

    /// <summary>Where each partition's next batch starts: the stored positions, moved on by batches sent.</summary>
    public IReadOnlyDictionary<string, long> StoredPositions => _stored;

    /// <summary>Records where a partition resumes (the stored position, or <see cref="BatchPosition.None"/>).</summary>
    public void SetStoredPosition(string partition, long position) => _stored[partition] = position;

    /// <summary>
    /// Takes <paramref name="partition"/>'s position from <paramref name="stored"/> (what Redis holds) as where it resumes,
    /// and returns it: <see cref="BatchPosition.None"/> when nothing of the partition was ever counted.
    /// </summary>
    public long ResumeFrom(string partition, IReadOnlyDictionary<string, long> stored)
    {
        var next = stored.TryGetValue(partition, out var position) ? position : BatchPosition.None;
        SetStoredPosition(partition, next);
        return next;
    }

    public void ForgetPartition(string partition) => _stored.Remove(partition);

    /// <summary>True when the batch being filled or the one in flight holds records of <paramref name="partition"/>.</summary>
    public bool Holds(string partition) => _filling.Contains(partition) || (_inFlight is not null && _sent!.Contains(partition));

    /// <summary>
    /// Sends the current batch to Redis without waiting for it (after waiting for the previous one). False when a
    /// batch was stale: nothing unsent is kept and the caller must go back to the stored positions.
    /// </summary>
    public async Task<bool> SendAsync(CancellationToken cancellationToken)
    {
        if (!await WaitAsync().ConfigureAwait(false))
        {
            return false;
        }

        if (_filling.Records == 0)
        {
            return true;
        }

        _filling.AdvanceStoredPositions();
        _sent = _filling;
        (_filling, _spare) = (_spare, _filling);
        _inFlight = _committer.CommitAsync(_sent, cancellationToken);
        return true;
    }

    /// <summary>Sends the current batch and waits until everything sent is applied. False as for <see cref="SendAsync"/>.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken) =>
        await SendAsync(cancellationToken).ConfigureAwait(false) && await WaitAsync().ConfigureAwait(false);

    /// <summary>Waits for the batch in flight. False when it was stale (the current batch is then dropped too).
    /// Throws <see cref="OperationCanceledException"/> when its retries were cancelled.</summary>
    public async Task<bool> WaitAsync()
    {
        if (_inFlight is not { } inFlight)
        {
            return true;
        }

        BatchApplyResult result;
        try
        {
            result = await inFlight.ConfigureAwait(false);
        }
        finally
        {
            _inFlight = null;
            _sent!.Clear();
        }

        if (result != BatchApplyResult.Stale)
        {
            return true;
        }

        _filling.Clear();
        return false;
    }

    /// <summary>Drops the batch being filled (its partitions were lost, or it is about to be re-read).</summary>
    public void DiscardCurrent() => _filling.Clear();
}
