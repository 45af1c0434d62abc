using System.Diagnostics;

namespace Pleiades.Tests.Support;

/// <summary>
/// A wall clock that starts at noon (UTC) of a given day and runs at real speed, so that "today" stays that day for
/// the whole of a test run, even one that crosses midnight; timers and timestamps stay real.
/// </summary>
public sealed class NoonClock(long day) : TimeProvider
{
    private readonly DateTimeOffset _start = DateTimeOffset.FromUnixTimeSeconds((day * 86_400) + 43_200);
    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();

    /// <summary>The day it keeps, in the contract's Unix days.</summary>
    public long Day => day;

    public override DateTimeOffset GetUtcNow() => _start + Stopwatch.GetElapsedTime(_startedTimestamp);
}
