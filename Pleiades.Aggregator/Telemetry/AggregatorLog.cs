using Pleiades.Aggregator.Counting;

namespace Pleiades.Aggregator.Telemetry;

/// <summary>The Aggregator's log lines, source-generated so that disabled levels cost nothing.</summary>
internal static partial class AggregatorLog
{
    [LoggerMessage(LogLevel.Information, "Redis is back after {Failures} failed attempts; the batch was {Result}.")]
    public static partial void RedisBack(this ILogger logger, int failures, BatchApplyResult result);

    [LoggerMessage(LogLevel.Warning, "Could not apply a batch of {Records} records to Redis (attempt {Attempt}); retrying in {Delay}.")]
    public static partial void RedisApplyFailed(this ILogger logger, Exception exception, int records, int attempt, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "A batch of {Records} records was stale (another reader moved its positions on); re-reading from the stored positions.")]
    public static partial void StaleBatch(this ILogger logger, int records);

    [LoggerMessage(LogLevel.Information, "Progress: {Events} events counted in the last {Seconds:0}s ({Rate:0}/s); {Total} events in {Batches} batches since start; newest event is {Age} old; log {LogId}.")]
    public static partial void Progress(this ILogger logger, long events, double seconds, double rate, long total, long batches, TimeSpan age, string logId);

    [LoggerMessage(LogLevel.Information, "Consuming {Topic} as group {Group}; positions in Redis under {Key}.")]
    public static partial void Consuming(this ILogger logger, string topic, string group, string key);

    [LoggerMessage(LogLevel.Information, "Reading the file log in {Directory} from {Position}; position in Redis under {Key}.")]
    public static partial void ReadingFileLog(this ILogger logger, string directory, string position, string key);

    [LoggerMessage(LogLevel.Error, "Events were lost: the file log's retention deleted {Lost} of records in {Segments} segments before they were counted, from position {From} to {To}; continuing at {To}. Raise EventLog:File:RetentionHours / RetentionBytes on the Ingest, or keep the Aggregator running.")]
    public static partial void FileLogGap(this ILogger logger, string lost, int segments, string from, string to);

    [LoggerMessage(LogLevel.Error, "Events were lost: {Description}. The broker's retention passed this Aggregator by (or the embedded broker, which keeps about 5 MiB per partition, dropped them); continuing at offset {To}.")]
    public static partial void KafkaGap(this ILogger logger, string description, long to);

    [LoggerMessage(LogLevel.Warning, "Could not record a loss of events in Redis ({Reason}); retrying in {Delay}.")]
    public static partial void LossNotRecorded(this ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "Redis did not take the last batch within {Timeout}; it will be read again on the next start.")]
    public static partial void LastBatchNotApplied(this ILogger logger, TimeSpan timeout);

    [LoggerMessage(LogLevel.Information, "Left consumer group {Group}.")]
    public static partial void LeftGroup(this ILogger logger, string group);

    [LoggerMessage(LogLevel.Warning, "Kafka at {Brokers} did not describe its cluster ({Reason}); retrying in {Delay}.")]
    public static partial void NoClusterId(this ILogger logger, string brokers, string reason, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Assigned partitions {Partitions}; resuming at {Offsets}.")]
    public static partial void Assigned(this ILogger logger, string partitions, string offsets);

    [LoggerMessage(LogLevel.Information, "Revoked partitions {Partitions}.")]
    public static partial void Revoked(this ILogger logger, string partitions);

    [LoggerMessage(LogLevel.Warning, "Could not apply the batch before partitions were revoked; it is dropped and read again.")]
    public static partial void RevokeCommitFailed(this ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Lost partitions {Partitions}; the pending batch was dropped.")]
    public static partial void Lost(this ILogger logger, string partitions);

    [LoggerMessage(LogLevel.Debug, "Seeking back to the stored positions failed ({Reason}); retrying.")]
    public static partial void SeekFailed(this ILogger logger, string reason);

    [LoggerMessage(LogLevel.Warning, "Could not read the stored positions from Redis ({Reason}); retrying in {Delay}.")]
    public static partial void PositionsUnreadable(this ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "The {Component} loop failed; restarting it in {Delay}.")]
    public static partial void LoopFailed(this ILogger logger, Exception exception, string component, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "A malformed record could not be dead-lettered to {Destination}: {Reason}")]
    public static partial void DeadLetterFailed(this ILogger logger, string destination, string reason);

    [LoggerMessage(LogLevel.Warning, "Skipping malformed record ({Reason}, field {Field}) at {LogId}/{Partition}/{Position}; further records of this kind are only counted. Sample: {Sample}")]
    public static partial void Malformed(this ILogger logger, Events.RecentChangeParseStatus reason, string field, string logId, string partition, long position, string sample);
}
