namespace Pleiades.Sse;

/// <summary>
/// Lines an <see cref="SseParser"/> has read, by kind: the labels of the original's
/// <c>pleiades_recv_event_lines_total{type}</c> (blank lines, which end frames, are not counted there either).
/// </summary>
public readonly record struct SseLineCounts(long Data, long Id, long Event, long Retry, long Comment, long Unknown)
{
    /// <summary>The lines of two parsers together (e.g. every connection so far).</summary>
    public static SseLineCounts operator +(SseLineCounts left, SseLineCounts right) =>
        new(left.Data + right.Data, left.Id + right.Id, left.Event + right.Event, left.Retry + right.Retry, left.Comment + right.Comment, left.Unknown + right.Unknown);

    public SseLineCounts Add(SseLineCounts other) => this + other;
}
