namespace Pleiades.Sse;

/// <summary>
/// Lines an <see cref="SseParser"/> has read, by kind: the labels of the original's
/// <c>pleiades_recv_event_lines_total{type}</c> (blank lines, which end frames, are not counted there either).
/// </summary>
public readonly record struct SseLineCounts(long Data, long Id, long Event, long Retry, long Comment, long Unknown)
{
    /// <summary>What was read between two snapshots, for adding to a counter.</summary>
    public SseLineCounts Since(SseLineCounts earlier) =>
        new(Data - earlier.Data, Id - earlier.Id, Event - earlier.Event, Retry - earlier.Retry, Comment - earlier.Comment, Unknown - earlier.Unknown);
}
