namespace Pleiades.EventLog.FileLog;

/// <summary>One sealed segment deleted by <see cref="FileLogRetention"/>.</summary>
/// <param name="Segment">The segment's number.</param>
/// <param name="Bytes">The segment file's size.</param>
/// <param name="Reason">Which limit it exceeded (checked in this order: age, then size).</param>
/// <param name="NewestRecord">When its newest record was appended.</param>
public readonly record struct FileLogSegmentDeletion(int Segment, long Bytes, FileLogRetentionReason Reason, DateTimeOffset NewestRecord);

/// <summary>Why <see cref="FileLogRetention"/> deleted a segment.</summary>
public enum FileLogRetentionReason
{
    /// <summary>Its newest record was older than <see cref="FileLogRetentionOptions.RetentionHours"/>.</summary>
    Age,

    /// <summary>The log was larger than <see cref="FileLogRetentionOptions.RetentionBytes"/>.</summary>
    Size,
}
