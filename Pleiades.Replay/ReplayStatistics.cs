using System.Collections.Concurrent;

namespace Pleiades.Replay;

/// <summary>What the replay server has done, for tests and its own log.</summary>
public sealed class ReplayStatistics
{
    private long _requests;
    private long _refused;
    private long _eventsSent;
    private long _dropped;
    private long _stalls;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests answered with an error status (User-Agent refused or an injected failure).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public long EventsSent => Interlocked.Read(ref _eventsSent);

    /// <summary>Connections closed by <c>--drop-every</c>.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>The <c>Last-Event-ID</c> of every stream request, in order (null when it sent none).</summary>
    public ConcurrentQueue<string?> LastEventIds { get; } = new();

    /// <summary>The User-Agent of every stream request, in order.</summary>
    public ConcurrentQueue<string?> UserAgents { get; } = new();

    internal long CountRequest() => Interlocked.Increment(ref _requests);

    internal void CountRefused() => Interlocked.Increment(ref _refused);

    internal void CountSent(long events) => Interlocked.Add(ref _eventsSent, events);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountStall() => Interlocked.Increment(ref _stalls);
}
