using System.Globalization;
using System.Text;

namespace Pleiades.Ingest.Sink;

/// <summary>
/// The Ingest's own copy of its resume point (the last acknowledged SSE id and its meta.dt), written atomically
/// after every acknowledged batch. The log itself is the primary source; this copy is the fallback when the log comes
/// back empty (a new file log, a volatile embedded broker), so the new log continues where the old one ended instead of
/// starting at the live edge (ARCHITECTURE.md, "Positions must name their log"). It is exact rather than throttled:
/// the counters already hold what the lost log delivered, so a copy even a second behind made a crashed Ingest
/// deliver up to a second of events again into the new log, to be counted twice. One small file per batch is
/// nothing beside the batch (4,096 events at full speed; a few at the live stream's 25-60 events/s).
/// </summary>
public sealed class ResumeIdStore(string directory)
{
    private const string FileName = "last-event-id";

    private string FilePath => Path.Combine(directory, FileName);

    public ResumePoint? Read()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        var lines = File.ReadAllLines(FilePath);
        return lines.Length >= 2 && long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var timeUnixMs) && lines[1].Length > 0
            ? new ResumePoint(Encoding.UTF8.GetBytes(lines[1]), timeUnixMs, [], $"{FilePath} (the log is empty; continuing where the previous log ended)")
            : null;
    }

    /// <summary>Records the newest acknowledged event.</summary>
    public void Write(ReadOnlyMemory<byte> id, long timeUnixMs)
    {
        if (id.IsEmpty)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{timeUnixMs}\n{Encoding.UTF8.GetString(id.Span)}\n"));
        File.Move(temporary, FilePath, overwrite: true);
    }
}
