namespace Pleiades.Ingest.Telemetry;

/// <summary>
/// The reading loop's connection lines. Why the connections since the last event ended is remembered (null while
/// events arrive): a stream that stays silent or keeps ending, or a failure that repeats, is logged once, then at
/// Debug until events flow again, which is one Information line.
/// </summary>
internal sealed class ReconnectLog(ILogger logger)
{
    private string? _quietReason;
    private long _quietReconnects;

    /// <summary>A connection attempt: Information, or Debug while the stream is quiet.</summary>
    public void Connecting(Uri url, string resume)
    {
        if (_quietReason is null)
        {
            IngestLog.Connecting(logger, url, resume);
        }
        else
        {
            IngestLog.ConnectingAgain(logger, url, resume);
        }
    }

    /// <summary>The first event of a connection: ends a quiet spell with one line.</summary>
    public void EventsArrived()
    {
        if (_quietReason is not null)
        {
            IngestLog.EventsAgain(logger, _quietReconnects, _quietReason);
            _quietReason = null;
        }
    }

    /// <summary>
    /// One line per change: the end of a stream that delivered events is Information (EventStreams ends connections
    /// now and then), a failure is a Warning, and the same outcome again without events in between is Debug.
    /// </summary>
    public void Reconnecting(long connectionEvents, string reason, string detail, TimeSpan delay)
    {
        var idle = reason is "eof" or "body_read_timeout";
        if (connectionEvents > 0 || _quietReason != reason)
        {
            if (connectionEvents == 0 && idle)
            {
                IngestLog.StreamQuiet(logger, reason, detail, (long)delay.TotalMilliseconds);
            }
            else if (idle)
            {
                IngestLog.StreamEnded(logger, connectionEvents, reason, (long)delay.TotalMilliseconds);
            }
            else
            {
                IngestLog.Reconnecting(logger, (long)delay.TotalMilliseconds, reason, detail);
            }
        }
        else
        {
            IngestLog.ReconnectingAgain(logger, (long)delay.TotalMilliseconds, reason, detail);
        }

        _quietReason = connectionEvents > 0 ? (idle ? null : reason) : reason;
        _quietReconnects = connectionEvents > 0 ? 0 : _quietReconnects + 1;
    }
}
