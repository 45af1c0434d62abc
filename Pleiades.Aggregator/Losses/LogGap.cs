namespace Pleiades.Aggregator.Losses;

/// <summary>Records of an event log that were gone before any Aggregator counted them.</summary>
/// <param name="LogId">The log (<c>{logId}</c> of docs/redis-keys.md).</param>
/// <param name="Partition">The Kafka partition, or <c>file</c>.</param>
/// <param name="From">Where counting stood: the first position missing.</param>
/// <param name="To">The oldest position left, where counting goes on.</param>
/// <param name="LostEvents">How many events, when the log's positions count records (Kafka offsets); null for the file log.</param>
/// <param name="LostBytes">How many bytes of records, when known (the file log).</param>
/// <param name="Description">One line for the status: which log, where, how much.</param>
public sealed record LogGap(string LogId, string Partition, long From, long To, long? LostEvents, long? LostBytes, string Description);
