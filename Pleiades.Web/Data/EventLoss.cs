namespace Pleiades.Web.Data;

/// <summary>
/// What the Aggregators recorded of events lost before they were counted (docs/redis-keys.md, <c>pleiades:status</c>):
/// how many gaps, events (exact for Kafka) and bytes (the file log's, whose events are not numbered), and the last one.
/// </summary>
public sealed record EventLoss(long Losses, long LostEvents, long LostBytes, long? LastLossUnixMs, string? LastLoss);
