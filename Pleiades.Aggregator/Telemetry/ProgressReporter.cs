namespace Pleiades.Aggregator.Telemetry;

/// <summary>
/// The periodic progress line: events counted since the last line and since start, the rate, and how old the newest
/// counted event is, at most once per <c>interval</c>.
/// </summary>
public sealed class ProgressReporter(ILogger<ProgressReporter> logger, TimeProvider time, TimeSpan interval)
{
    private long _eventsSinceStart;
    private long _eventsAtLastProgress;
    private long _batchesSinceStart;
    private long _newestEventUnixMs;
    private long _lastProgressTimestamp = time.GetTimestamp();

    /// <summary>A batch was applied: <paramref name="events"/> counted, the newest of them from <paramref name="newestEventUnixMs"/>.</summary>
    public void Applied(int events, long newestEventUnixMs)
    {
        _eventsSinceStart += events;
        _batchesSinceStart++;
        _newestEventUnixMs = Math.Max(_newestEventUnixMs, newestEventUnixMs);
    }

    /// <summary>Logs the progress line of <paramref name="logId"/> when the interval has passed since the last one.</summary>
    public void LogWhenDue(string logId)
    {
        var elapsed = time.GetElapsedTime(_lastProgressTimestamp);
        if (elapsed < interval)
        {
            return;
        }

        var events = _eventsSinceStart - _eventsAtLastProgress;
        var age = _newestEventUnixMs == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds() - _newestEventUnixMs);
        logger.Progress(events, elapsed.TotalSeconds, events / elapsed.TotalSeconds, _eventsSinceStart, _batchesSinceStart, age, logId);
        _eventsAtLastProgress = _eventsSinceStart;
        _lastProgressTimestamp = time.GetTimestamp();
    }
}
