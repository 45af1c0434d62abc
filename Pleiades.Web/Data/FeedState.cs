namespace Pleiades.Web.Data;

/// <summary>
/// The feed as <c>/api/status</c> and the dashboard show it, judged from the <see cref="AggregatorStatus"/> at a given
/// moment: when counters last arrived; <see cref="Stale"/> says that none came for longer than the configured time;
/// <see cref="Loss"/>, when events were lost before they were counted (null when none ever were).
/// </summary>
public sealed record FeedState(long? LastEventUnixMs, long? LastBatchUnixMs, bool Stale, EventLoss? Loss = null)
{
    public static FeedState From(AggregatorStatus status, DateTimeOffset now, TimeSpan staleAfter) => new(
        status.LastEventUnixMs,
        status.LastBatchUnixMs,
        status.LastBatchUnixMs is not { } last || now.ToUnixTimeMilliseconds() - last > (long)staleAfter.TotalMilliseconds,
        status.Loss);
}
