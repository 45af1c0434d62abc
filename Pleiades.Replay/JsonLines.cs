namespace Pleiades.Replay;

/// <summary>
/// Reads the non-blank lines of a JSON-lines stream, trimmed, each as a slice of a large array shared with its
/// neighbours (a slab). A capture is then not bound by one array's 2 GiB (5M events are ~5 GB: the benchmark's long
/// catch-ups), and millions of events are not millions of arrays for the GC to trace.
/// </summary>
internal static class JsonLines
{
    public const int DefaultSlabSize = 64 * 1024 * 1024;

    public static List<ReadOnlyMemory<byte>> Read(Stream stream, int slabSize = DefaultSlabSize)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        var slab = new byte[slabSize];
        var lineStart = 0;
        var filled = 0;
        while (true)
        {
            if (filled == slab.Length)
            {
                // Full: the unfinished line moves to a new slab, with room to grow however long the line is.
                var partial = filled - lineStart;
                var next = new byte[Math.Max(slabSize, 2 * partial)];
                slab.AsSpan(lineStart, partial).CopyTo(next);
                (slab, lineStart, filled) = (next, 0, partial);
            }

            var read = stream.Read(slab, filled, slab.Length - filled);
            if (read == 0)
            {
                break;
            }

            // Bytes before `filled` hold no line end: only the new ones are searched.
            var scan = filled;
            filled += read;
            int end;
            while ((end = slab.AsSpan(scan, filled - scan).IndexOf((byte)'\n')) >= 0)
            {
                AddTrimmed(lines, slab.AsMemory(lineStart, scan + end - lineStart));
                lineStart = scan = scan + end + 1;
            }
        }

        AddTrimmed(lines, slab.AsMemory(lineStart, filled - lineStart));
        return lines;
    }

    private static void AddTrimmed(List<ReadOnlyMemory<byte>> lines, ReadOnlyMemory<byte> line)
    {
        var blanks = " \t\r"u8;
        var start = line.Span.IndexOfAnyExcept(blanks);
        if (start >= 0)
        {
            lines.Add(line[start..(line.Span.LastIndexOfAnyExcept(blanks) + 1)]);
        }
    }
}
