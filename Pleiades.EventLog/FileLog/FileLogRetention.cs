namespace Pleiades.EventLog.FileLog;

/// <summary>
/// Deletes a file log's sealed segments once they are older than <see cref="FileLogRetentionOptions.RetentionHours"/>
/// or the log is larger than <see cref="FileLogRetentionOptions.RetentionBytes"/>, as Kafka's retention does.
/// <para>Only whole sealed segments go, never the active one, and always the oldest first, each recorded in
/// <c>deleted-segments</c> (fsynced) before its file is deleted: a crash at any point leaves a contiguous run of
/// segments that readers accept, and the next pass finishes the job. A segment's age is that of its newest record,
/// which the writer stamps on the file's modification time when it seals it (so the check is a directory listing,
/// never a read; a copy that does not preserve modification times makes the copied segments young again).</para>
/// <para>Run by the log's writer (it holds the lock), between batches: never on the append path.</para>
/// </summary>
public sealed class FileLogRetention(FileLogRetentionOptions options, TimeProvider time)
{
    public FileLogRetentionOptions Options => options;

    /// <summary>Deletes the sealed segments of <paramref name="writer"/>'s log that exceed a limit, oldest first; returns them in that order.</summary>
    public IReadOnlyList<FileLogSegmentDeletion> Apply(FileEventLogWriter writer)
    {
        if (options.MaxAge is null && options.MaxBytes is null)
        {
            return [];
        }

        var directory = writer.Directory;
        var active = writer.End.Segment;
        var segments = FileLogFormat.ListSegments(directory)
            .Select(segment => (Number: segment, File: new FileInfo(FileLogFormat.SegmentPath(directory, segment))))
            .ToList();
        var total = segments.Sum(segment => segment.File.Length);
        var now = time.GetUtcNow();
        var deletions = new List<FileLogSegmentDeletion>();
        foreach (var (segment, file) in segments)
        {
            if (segment >= active)
            {
                break;
            }

            var newestRecord = new DateTimeOffset(file.LastWriteTimeUtc);
            FileLogRetentionReason reason;
            if (options.MaxAge is { } maxAge && now - newestRecord > maxAge)
            {
                reason = FileLogRetentionReason.Age;
            }
            else if (options.MaxBytes is { } maxBytes && total > maxBytes)
            {
                reason = FileLogRetentionReason.Size;
            }
            else
            {
                // Older segments go first: once one stays, every newer one stays too.
                break;
            }

            var deletion = new FileLogSegmentDeletion(segment, file.Length, reason, newestRecord);
            FileLogDeletedSegments.Record(directory, deletion, now);
            file.Delete();
            total -= deletion.Bytes;
            deletions.Add(deletion);
        }

        return deletions;
    }
}
