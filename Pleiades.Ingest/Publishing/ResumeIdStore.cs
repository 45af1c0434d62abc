using System.Globalization;
using System.Text;

namespace Pleiades.Ingest.Publishing;

/// <summary>
/// The Ingest's own copy of its resume point (the last acknowledged SSE id and its meta.dt), written atomically
/// at most once a second. The log itself is the primary source; this copy is the fallback when the log comes back
/// empty (a new file log, a volatile embedded broker), so the new log continues where the old one ended instead of
/// starting at the live edge (ARCHITECTURE.md, "Positions must name their log").
/// </summary>
public sealed class ResumeIdStore(string directory, TimeProvider time)
{
    private const string FileName = "last-event-id";
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private long _lastWrite;

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

    /// <summary>Records the newest acknowledged event, unless one was recorded less than a second ago (and <paramref name="force"/> is false).</summary>
    public void Write(ReadOnlyMemory<byte> id, long timeUnixMs, bool force = false)
    {
        if (id.IsEmpty || (!force && _lastWrite != 0 && time.GetElapsedTime(_lastWrite) < MinimumInterval))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{timeUnixMs}\n{Encoding.UTF8.GetString(id.Span)}\n"));
        File.Move(temporary, FilePath, overwrite: true);
        _lastWrite = time.GetTimestamp();
    }
}
