using Pleiades.Sse;

namespace Pleiades.Ingest.Telemetry;

/// <summary>
/// Shared state of the relay, written by the reading and publishing loops and read by the progress line: what
/// was received, what the log acknowledged, and the newest acknowledged event's id (the durable resume point).
/// </summary>
public sealed class RelayProgress
{
    private readonly Lock _idGate = new();
    private long _received;
    private long _published;
    private long _duplicates;
    private long _reconnects;
    private long _lastEventUnixMs;
    private ReadOnlyMemory<byte> _lastPublishedId;
    private SseLineCounts _linesOfEndedConnections;
    private SseParser? _currentParser;

    public long Received => Interlocked.Read(ref _received);

    public long Published => Interlocked.Read(ref _published);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>meta.dt of the newest event acknowledged by the log (ms since the epoch), 0 before the first.</summary>
    public long LastEventUnixMs => Interlocked.Read(ref _lastEventUnixMs);

    /// <summary>SSE id of the newest event acknowledged by the log.</summary>
    public ReadOnlyMemory<byte> LastPublishedId
    {
        get { lock (_idGate) { return _lastPublishedId; } }
    }

    /// <summary>Lines read from the stream over all connections (the current one's as its parser counts them).</summary>
    public SseLineCounts Lines
    {
        get
        {
            lock (_idGate)
            {
                return _currentParser is null ? _linesOfEndedConnections : _linesOfEndedConnections + _currentParser.LineCounts;
            }
        }
    }

    public void BeginConnection(SseParser parser)
    {
        lock (_idGate)
        {
            _currentParser = parser;
        }
    }

    public void EndConnection()
    {
        lock (_idGate)
        {
            if (_currentParser is not null)
            {
                _linesOfEndedConnections += _currentParser.LineCounts;
                _currentParser = null;
            }
        }
    }

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountReconnect() => Interlocked.Increment(ref _reconnects);

    public void CountPublished(int events, ReadOnlyMemory<byte> lastId, long lastEventUnixMs)
    {
        Interlocked.Add(ref _published, events);
        if (lastEventUnixMs > 0)
        {
            Interlocked.Exchange(ref _lastEventUnixMs, lastEventUnixMs);
        }

        lock (_idGate)
        {
            _lastPublishedId = lastId;
        }
    }
}
