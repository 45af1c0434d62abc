namespace Pleiades.Tests.Support;

/// <summary>A wall clock a test moves by hand (timers and timestamps stay real): days of retention pass in an instant.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
