using System.Buffers;

namespace Pleiades.Benchmarks.Data;

/// <summary>A capture of real-shaped events as JSON lines (what the replay server serves), written to a temporary directory.</summary>
internal static class CaptureFile
{
    /// <summary>Writes <paramref name="count"/> events to <paramref name="path"/>; returns the counters they must produce.</summary>
    public static ExpectedCounters Write(string path, long count)
    {
        var events = RealShapedEvents.Load();
        var expected = new ExpectedCounters();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        for (long i = 0; i < count; i++)
        {
            events.Write(buffer, i, expected);
            buffer.Write("\n"u8);
            if (buffer.WrittenCount > (1 << 20) - 16_384)
            {
                file.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        file.Write(buffer.WrittenSpan);
        return expected;
    }
}
