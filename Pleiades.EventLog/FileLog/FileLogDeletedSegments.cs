using System.Globalization;
using System.Text;

namespace Pleiades.EventLog.FileLog;

/// <summary>
/// The file log's record of the segments retention deleted (<c>deleted-segments</c> in its directory): one line per
/// deletion, <c>segment bytes reason deletedAtUtc</c>, written and fsynced BEFORE the segment is deleted. A reader whose
/// position lies in a deleted segment learns from it whether the position was that segment's end (nothing was lost)
/// and how many bytes of records it missed. A few dozen bytes per segment: a year of 64 MiB segments at several GB a
/// day is well under a megabyte.
/// </summary>
internal static class FileLogDeletedSegments
{
    public const string FileName = "deleted-segments";

    /// <summary>Records that the segment of <paramref name="deletion"/> is about to be deleted, and fsyncs the record.</summary>
    public static void Record(string directory, FileLogSegmentDeletion deletion, DateTimeOffset deletedAt)
    {
        // Each line begins with a newline, so that a line cut short by a crash is ended by the next one and parsed as
        // malformed (a crash before the delete means the segment is recorded again, whole, by the next attempt).
        var line = string.Create(CultureInfo.InvariantCulture, $"\n{deletion.Segment} {deletion.Bytes} {deletion.Reason.ToString().ToLowerInvariant()} {deletedAt.UtcDateTime:O}");
        using var stream = new FileStream(Path.Combine(directory, FileName), FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        stream.Write(Encoding.ASCII.GetBytes(line));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The size of every deleted segment on record (the last record of a segment wins).</summary>
    public static Dictionary<int, long> ReadSizes(string directory)
    {
        var sizes = new Dictionary<int, long>();
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return sizes;
        }

        // Shared for writing: the Ingest may be appending a line (never needed yet: its segment still exists).
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var text = new StreamReader(stream, Encoding.ASCII);
        while (text.ReadLine() is { } line)
        {
            var fields = line.Split(' ');
            if (fields.Length == 4
                && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                && Enum.TryParse<FileLogRetentionReason>(fields[2], ignoreCase: true, out _)
                && DateTimeOffset.TryParseExact(fields[3], "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                sizes[segment] = bytes;
            }
        }

        return sizes;
    }
}
