namespace Pleiades.Web.Data;

/// <summary>
/// What the Aggregators recorded in <c>pleiades:status</c> as a snapshot read it: the newest event time and the
/// wall-clock time of the last batch, in Unix ms, and events lost. <see cref="FeedState"/> is what the API and the
/// dashboard make of it at a given moment.
/// </summary>
public sealed record AggregatorStatus(long? LastEventUnixMs, long? LastBatchUnixMs)
{
    /// <summary>Nothing recorded yet.</summary>
    public static AggregatorStatus Unknown { get; } = new(null, null);

    /// <summary>Events the Aggregators found gone from the event log before they were counted; null when none ever were.</summary>
    public EventLoss? Loss { get; init; }
}
