namespace Pleiades.EventLog.FileLog;

/// <summary>
/// How long the Ingest keeps the file log's sealed segments, as Kafka's <c>log.retention.hours</c> and
/// <c>log.retention.bytes</c> do. Bound from <c>EventLog:File</c> beside <see cref="FileEventLogOptions"/>; checked by
/// <see cref="FileLogRetentionOptionsValidator"/> at start. Only whole sealed segments are deleted, oldest first.
/// </summary>
public sealed class FileLogRetentionOptions
{
    public const string Section = FileEventLogOptions.Section;

    /// <summary>A sealed segment is deleted once its newest record is older than this many hours (168, a week, as Kafka). 0 keeps segments forever.</summary>
    public double RetentionHours { get; set; } = 168;

    /// <summary>
    /// The oldest sealed segments are deleted while the log's segments together exceed this many bytes. 0 (the default) sets
    /// no cap. The active segment is never deleted, so the cap must leave room for at least one segment.
    /// </summary>
    public long RetentionBytes { get; set; }

    /// <summary>How often the writer looks for segments to delete besides when it opens the log and seals a segment (5 minutes, as Kafka's <c>log.retention.check.interval.ms</c>).</summary>
    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The age limit, or null when segments are kept whatever their age.</summary>
    public TimeSpan? MaxAge => RetentionHours > 0 ? TimeSpan.FromHours(RetentionHours) : null;

    /// <summary>The size cap, or null when there is none.</summary>
    public long? MaxBytes => RetentionBytes > 0 ? RetentionBytes : null;
}
