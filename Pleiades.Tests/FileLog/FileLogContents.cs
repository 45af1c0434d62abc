using System.Globalization;
using System.Text;
using Pleiades.EventLog.FileLog;

namespace Pleiades.Tests.FileLog;

/// <summary>What a file log holds, read the way the tests check it.</summary>
public static class FileLogContents
{
    /// <summary>Every record from <paramref name="start"/> to the end of the log as it is now.</summary>
    public static List<FileLogRecord> ReadAll(string directory, FileLogPosition start, Action<FileLogGap>? onGap = null)
    {
        using var reader = new FileEventLogReader(directory, start, onGap: onGap);
        var records = new List<FileLogRecord>();
        while (reader.TryRead(out var record))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The test event's number: its data's <c>"n"</c> field.</summary>
    public static int Number(FileLogRecord record) =>
        int.Parse(Encoding.UTF8.GetString(record.Data.Span).Split("\"n\":")[1].Split(',')[0], CultureInfo.InvariantCulture);
}
