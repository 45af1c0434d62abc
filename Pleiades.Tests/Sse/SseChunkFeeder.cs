using System.Buffers;
using Pleiades.Sse;

namespace Pleiades.Tests.Sse;

/// <summary>
/// Feeds a parser chunk by chunk as a pipe would: the unconsumed rest plus each new chunk as a separate
/// segment, so lines that straddle chunks arrive as multi-segment sequences.
/// </summary>
public static class SseChunkFeeder
{
    public static List<SseFrame> Parse(IEnumerable<byte[]> chunks, SseParser? parser = null)
    {
        parser ??= new SseParser();
        var frames = new List<SseFrame>();
        var pending = new List<byte[]>();
        foreach (var chunk in chunks)
        {
            pending.Add(chunk);
            var buffer = ToSequence(pending);
            while (parser.TryReadFrame(ref buffer, out var frame))
            {
                frames.Add(frame);
            }

            pending = buffer.IsEmpty ? [] : [buffer.ToArray()];
        }

        return frames;
    }

    public static List<SseFrame> Parse(byte[] bytes, SseParser? parser = null) => Parse([bytes], parser);

    public static IEnumerable<byte[]> Split(byte[] bytes, IEnumerable<int> cuts)
    {
        var start = 0;
        foreach (var cut in cuts.Select(c => Math.Clamp(c, 0, bytes.Length)).Order())
        {
            yield return bytes[start..Math.Max(start, cut)];
            start = Math.Max(start, cut);
        }

        yield return bytes[start..];
    }

    private static ReadOnlySequence<byte> ToSequence(List<byte[]> chunks)
    {
        if (chunks.Count == 1)
        {
            return new ReadOnlySequence<byte>(chunks[0]);
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        foreach (var chunk in chunks.Skip(1))
        {
            last = last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
