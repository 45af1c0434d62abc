using System.Buffers;
using System.Text;
using Pleiades.Benchmarks.Data;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// Writes the captures the end-to-end tests replay: the benchmark's real-shaped events (data/samples, fresh
/// <c>meta.id</c>s, a copy of the samples per day), as JSON lines, optionally with what a client of the live stream must
/// survive mixed in (frames that are not events, canaries, events without meta.dt, a 2 MB junk line).
/// </summary>
internal static class EndToEndCapture
{
    /// <summary>Size of the junk line: well past any single event, below the SSE parser's 16 MiB line limit.</summary>
    public const int JunkLineBytes = 2 * 1024 * 1024;

    /// <summary>Lines that are not countable events (the Ingest relays them, the Aggregator skips them) or are odd but countable.</summary>
    private static readonly Func<string>[] OddLines =
    [
        () => "not json at all",
        () => "[1,2,3]",
        () => "{\"meta\":{\"id\":\"" + Guid.NewGuid() + "\",\"dt\":\"2015-09-12T10:",
        // No usable time: skipped.
        () => "{\"meta\":{\"id\":\"" + Guid.NewGuid() + "\",\"dt\":\"yesterday\",\"domain\":\"en.wikipedia.org\"},\"type\":\"edit\",\"wiki\":\"enwiki\"}",
        // Synthetic monitoring: never counted.
        () => "{\"meta\":{\"id\":\"" + Guid.NewGuid() + "\",\"dt\":\"2015-09-12T10:00:00Z\",\"domain\":\"canary\"},\"type\":\"edit\",\"wiki\":\"enwiki\",\"bot\":true}",
        // No meta.dt: the timestamp decides the day.
        () => "{\"meta\":{\"id\":\"" + Guid.NewGuid() + "\",\"domain\":\"fr.wikipedia.org\"},\"timestamp\":1442052000,\"type\":\"log\",\"wiki\":\"frwiki\",\"length\":{\"new\":10}}",
        // Optional fields of the wrong type: each is ignored, the event still counts by the rules it meets.
        () => "{\"meta\":{\"id\":\"" + Guid.NewGuid() + "\",\"dt\":\"2015-09-12T11:00:00Z\"},\"type\":\"edit\",\"wiki\":42,\"bot\":\"true\",\"minor\":1,\"length\":5}",
    ];

    /// <summary>
    /// The samples open with this many edits dated over two months around their day (Druid's sample keeps them first);
    /// after them the edits are in time order.
    /// </summary>
    public const int OutOfOrderEdits = 45;

    /// <summary>
    /// Writes <paramref name="events"/> real-shaped events, from event <paramref name="first"/> on, to
    /// <paramref name="path"/>; with <paramref name="oddEvery"/> &gt; 0, one of the odd lines after every that many
    /// events and the junk line in the middle.
    /// </summary>
    public static string Write(string path, long events, int oddEvery = 0, long first = 0)
    {
        var source = RealShapedEvents.Load();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        var odd = 0;
        for (long i = 0; i < events; i++)
        {
            source.Write(buffer, first + i);
            buffer.Write("\n"u8);
            if (oddEvery > 0 && (i + 1) % oddEvery == 0)
            {
                buffer.Write(Encoding.UTF8.GetBytes(OddLines[odd++ % OddLines.Length]() + "\n"));
            }

            if (oddEvery > 0 && i == events / 2)
            {
                file.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
                WriteJunkLine(file);
            }

            if (buffer.WrittenCount > (1 << 20) - 16_384)
            {
                file.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        file.Write(buffer.WrittenSpan);
        return path;
    }

    /// <summary>A line of 2 MB of printable junk (no JSON, no line break).</summary>
    private static void WriteJunkLine(Stream file)
    {
        var junk = new byte[JunkLineBytes + 1];
        for (var i = 0; i < JunkLineBytes; i++)
        {
            junk[i] = (byte)('a' + (i * 7 % 26));
        }

        junk[^1] = (byte)'\n';
        file.Write(junk);
    }
}
