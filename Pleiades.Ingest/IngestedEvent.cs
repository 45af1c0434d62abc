namespace Pleiades.Ingest;

/// <summary>One event on its way from the stream to the log.</summary>
/// <param name="Id">The SSE id exactly as received.</param>
/// <param name="Data">The event's JSON exactly as received.</param>
/// <param name="TimeUnixMs">Its <c>meta.dt</c> (ms since the epoch), 0 when unknown; for lag and progress only.</param>
/// <param name="MetaId">Its <c>meta.id</c> as a GUID (hashed when it is not one), or null; the deduplication key and the Kafka key.</param>
public sealed record IngestedEvent(ReadOnlyMemory<byte> Id, ReadOnlyMemory<byte> Data, long TimeUnixMs, Guid? MetaId);
