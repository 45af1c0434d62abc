using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Pleiades.Replay;

/// <summary>
/// SSE ids in EventStreams' form: a JSON array of per-partition entries. The replay is one "eqiad" partition
/// whose entry carries the event's index as <c>offset</c> (or its time as <c>timestamp</c>), plus a "codfw"
/// entry with <c>offset: -1</c>, as the live stream sends while one datacentre is active.
/// </summary>
public static class ReplayStreamIds
{
    public const string Topic = "eqiad.mediawiki.recentchange";
    public const string OtherTopic = "codfw.mediawiki.recentchange";

    private static ReadOnlySpan<byte> Head => "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\""u8;
    private static ReadOnlySpan<byte> Tail => "},{\"topic\":\"codfw.mediawiki.recentchange\",\"partition\":0,\"offset\":-1}]"u8;

    /// <summary>Writes the id of event <paramref name="index"/> (time <paramref name="timeUnixMs"/>).</summary>
    public static void Write(IBufferWriter<byte> writer, ReplayIdStyle style, long index, long timeUnixMs)
    {
        var span = writer.GetSpan(Head.Length + Tail.Length + 40);
        Head.CopyTo(span);
        var length = Head.Length;
        var name = style == ReplayIdStyle.Offset ? "offset\":"u8 : "timestamp\":"u8;
        var value = style == ReplayIdStyle.Offset ? index : timeUnixMs;
        name.CopyTo(span[length..]);
        length += name.Length;
        Utf8Formatter.TryFormat(value, span[length..], out var written);
        length += written;
        Tail.CopyTo(span[length..]);
        writer.Advance(length + Tail.Length);
    }

    /// <summary>
    /// Where a request resumes, from <c>Last-Event-ID</c> (the replay partition's entry: <c>offset</c> N resumes at
    /// N + 1, <c>timestamp</c> T at the first event at or after T) or else <c>since</c> (ms epoch or ISO-8601);
    /// <paramref name="firstAtOrAfter"/> finds the first event served at or after a time.
    /// </summary>
    public static long ResumeIndex(long total, string? lastEventId, string? since, Func<long, long> firstAtOrAfter)
    {
        if (!string.IsNullOrWhiteSpace(lastEventId) && TryReadEntry(lastEventId, out var offset, out var timestamp))
        {
            return offset is { } o ? Math.Clamp(o + 1, 0, total) : firstAtOrAfter(timestamp!.Value);
        }

        if (!string.IsNullOrWhiteSpace(since))
        {
            return firstAtOrAfter(ParseTime(since));
        }

        return 0;
    }

    private static bool TryReadEntry(string lastEventId, out long? offset, out long? timestamp)
    {
        offset = timestamp = null;
        try
        {
            using var id = JsonDocument.Parse(lastEventId);
            foreach (var entry in id.RootElement.EnumerateArray())
            {
                if (entry.TryGetProperty("topic", out var topic) && topic.GetString() == Topic)
                {
                    if (entry.TryGetProperty("offset", out var o) && o.GetInt64() >= 0)
                    {
                        offset = o.GetInt64();
                        return true;
                    }

                    if (entry.TryGetProperty("timestamp", out var t))
                    {
                        timestamp = t.GetInt64();
                        return true;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // EventStreams ignores an id it cannot use and starts at the latest event; so does the replay (from the start).
        }

        return false;
    }

    private static long ParseTime(string since) =>
        long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms
            : DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUnixTimeMilliseconds()
            : 0;
}
