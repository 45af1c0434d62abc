namespace Pleiades.Ingest;

/// <summary>Where the log ends: the last event that reached it, to resume the stream from.</summary>
/// <param name="Id">That event's SSE id (sent back as <c>Last-Event-ID</c>).</param>
/// <param name="TimeUnixMs">Its <c>meta.dt</c>, for rewriting <c>offset: -1</c> entries of the id.</param>
/// <param name="RecentMetaIds">meta.ids of the last events in the log, so the events a resume repeats are dropped.</param>
/// <param name="Source">Where it was read, for the log line (the log itself, or the Ingest's own fallback copy).</param>
public sealed record ResumePoint(ReadOnlyMemory<byte> Id, long TimeUnixMs, IReadOnlyCollection<Guid> RecentMetaIds, string Source);
