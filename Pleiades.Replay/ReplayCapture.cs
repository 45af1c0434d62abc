using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Pleiades.Sse;

namespace Pleiades.Replay;

/// <summary>The events a replay serves, loaded from captures: raw SSE (the data of every <c>message</c> frame) or JSON lines.</summary>
public sealed class ReplayCapture
{
    private const int GuidLength = 36;

    private ReplayCapture(IReadOnlyList<ReplayEvent> events) => Events = events;

    public IReadOnlyList<ReplayEvent> Events { get; }

    /// <summary>
    /// Writes the data of served event <paramref name="index"/>: capture event <c>index mod count</c>, and from the
    /// second copy on with a fresh <c>meta.id</c>, so every copy is a distinct event to any deduplication. With a
    /// <paramref name="shift"/>, its times (<c>meta.dt</c>, <c>timestamp</c>, <c>rev_timestamp</c>) are the shifted ones.
    /// </summary>
    public void WriteData(IBufferWriter<byte> writer, long index, ReplayTimeShift? shift = null)
    {
        var replayEvent = Events[(int)(index % Events.Count)];
        var copy = index / Events.Count;
        var data = replayEvent.Data.Span;
        var fields = replayEvent.TimeFields;
        if (shift is not { } timeShift || fields.Length == 0)
        {
            var span = writer.GetSpan(data.Length);
            data.CopyTo(span);
            WriteMetaId(span, replayEvent.MetaIdStart, copy, index);
            writer.Advance(data.Length);
            return;
        }

        // Unix seconds may change length (ISO strings keep theirs): copy the spans between the time values.
        var destination = writer.GetSpan(data.Length + (fields.Length * 20));
        var read = 0;
        var written = 0;
        var metaIdAt = -1;
        foreach (var field in fields)
        {
            CopySegment(data, destination, ref read, ref written, field.Start, replayEvent.MetaIdStart, ref metaIdAt);
            var time = timeShift.Serve(field.UnixMs, copy);
            if (field.IsUnixSeconds)
            {
                written += ReplayTimeText.WriteUnixSeconds(destination[written..], time);
            }
            else
            {
                var value = destination.Slice(written, field.Length);
                data.Slice(field.Start, field.Length).CopyTo(value);
                ReplayTimeText.WriteIso(value, time);
                written += field.Length;
            }

            read = field.Start + field.Length;
        }

        CopySegment(data, destination, ref read, ref written, data.Length, replayEvent.MetaIdStart, ref metaIdAt);
        WriteMetaId(destination, metaIdAt, copy, index);
        writer.Advance(written);
    }

    /// <summary>Copies <paramref name="data"/> from <paramref name="read"/> to <paramref name="end"/>, noting where the meta.id lands when it is in that span.</summary>
    private static void CopySegment(ReadOnlySpan<byte> data, Span<byte> destination, ref int read, ref int written, int end, int metaIdStart, ref int metaIdAt)
    {
        if (metaIdStart >= read && metaIdStart < end)
        {
            metaIdAt = written + (metaIdStart - read);
        }

        data[read..end].CopyTo(destination[written..]);
        written += end - read;
        read = end;
    }

    private void WriteMetaId(Span<byte> span, int metaIdStart, long copy, long index)
    {
        if (copy > 0 && metaIdStart >= 0)
        {
            FreshMetaId(copy, index % Events.Count).TryFormat(span.Slice(metaIdStart, GuidLength), out _, "D");
        }
    }

    /// <summary>The data of served event <paramref name="index"/> (see <see cref="WriteData"/>).</summary>
    public byte[] DataOf(long index)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteData(buffer, index);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A version-4-shaped GUID derived from (copy, event) through SplitMix64: deterministic (a restarted replay
    /// serves the same ids) and as well spread as real random UUIDs, so hash sets and partitioners see realistic keys.
    /// </summary>
    private static Guid FreshMetaId(long copy, long eventIndex)
    {
        var high = SplitMix64((ulong)copy * 0x9E3779B97F4A7C15UL ^ (ulong)eventIndex);
        var low = SplitMix64(high ^ (ulong)eventIndex);
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, high);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], low);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Loads the comma-separated <paramref name="files"/>, in order.</summary>
    public static ReplayCapture Load(string files)
    {
        var paths = files.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0)
        {
            throw new InvalidOperationException("the replay needs a capture: --capture FILE (or Replay:Capture)");
        }

        var events = new List<ReplayEvent>();
        foreach (var path in paths)
        {
            using var stream = OpenRead(path, out var format);
            var data = format == ".sse" ? FromSse(stream) : JsonLines.Read(stream);
            events.AddRange(data.Select(Describe));
        }

        return events.Count > 0 ? new ReplayCapture(events) : throw new InvalidOperationException($"no events in {files}");
    }

    /// <summary>The file's bytes, decompressed when it ends in <c>.gz</c>; <paramref name="format"/> is the extension before that.</summary>
    private static Stream OpenRead(string path, out string format)
    {
        format = Path.GetExtension(path).ToLowerInvariant();
        if (format != ".gz")
        {
            return File.OpenRead(path);
        }

        format = Path.GetExtension(Path.GetFileNameWithoutExtension(path)).ToLowerInvariant();
        return new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
    }

    /// <summary>The data of every <c>message</c> frame. (SSE captures are recordings of the live stream, far below the
    /// 2 GiB of the one array they are read into; large generated captures are JSON lines.)</summary>
    private static List<ReadOnlyMemory<byte>> FromSse(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        // A capture saved without the blank line after its last frame still holds that frame: complete it.
        memory.Write("\n\n"u8);
        var sequence = new ReadOnlySequence<byte>(memory.GetBuffer().AsMemory(0, (int)memory.Length));
        var parser = new SseParser();
        var frames = new List<ReadOnlyMemory<byte>>();
        while (parser.TryReadFrame(ref sequence, out var frame))
        {
            if (frame.EventType == SseFrame.DefaultEventType)
            {
                frames.Add(frame.Data);
            }
        }

        return frames;
    }

    private static ReplayEvent Describe(ReadOnlyMemory<byte> data)
    {
        long time = 0;
        long timestampSeconds = 0;
        var metaIdStart = -1;
        var fields = new List<ReplayTimeField>(3);
        try
        {
            var reader = new Utf8JsonReader(data.Span);
            var depth0 = reader.CurrentDepth;
            string? inObject = null;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                var depth = reader.CurrentDepth;
                if (depth == depth0 + 1 && reader.ValueTextEquals("meta"u8))
                {
                    inObject = "meta";
                }
                else if (depth == depth0 + 1 && reader.ValueTextEquals("timestamp"u8) && reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    if (reader.TryGetInt64(out timestampSeconds))
                    {
                        fields.Add(new ReplayTimeField(timestampSeconds * 1000, (int)reader.TokenStartIndex, (ushort)reader.ValueSpan.Length, IsUnixSeconds: true));
                    }
                }
                else if (depth == depth0 + 1 && reader.ValueTextEquals("rev_timestamp"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    AddIsoField(ref reader, fields);
                }
                else if (depth == depth0 + 1)
                {
                    inObject = null;
                    reader.Skip();
                }
                else if (inObject == "meta" && depth == depth0 + 2 && reader.ValueTextEquals("dt"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    time = AddIsoField(ref reader, fields);
                }
                else if (inObject == "meta" && depth == depth0 + 2 && reader.ValueTextEquals("id"u8) && reader.Read()
                    && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length == GuidLength)
                {
                    metaIdStart = (int)reader.TokenStartIndex + 1;
                }
            }
        }
        catch (JsonException)
        {
            // Served as captured: malformed frames are part of what a client must survive.
        }

        fields.Sort((a, b) => a.Start.CompareTo(b.Start));
        return new ReplayEvent(data, time != 0 ? time : timestampSeconds * 1000, metaIdStart, [.. fields]);
    }

    /// <summary>Notes the ISO-8601 string the reader is on as a time field when it can be rewritten in place; returns its time (0 when it does not parse).</summary>
    private static long AddIsoField(ref Utf8JsonReader reader, List<ReplayTimeField> fields)
    {
        if (!DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt))
        {
            return 0;
        }

        var unixMs = dt.ToUnixTimeMilliseconds();
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length < 64 && ReplayTimeText.IsRewritableIso(reader.ValueSpan))
        {
            fields.Add(new ReplayTimeField(unixMs, (int)reader.TokenStartIndex + 1, (ushort)reader.ValueSpan.Length, IsUnixSeconds: false));
        }

        return unixMs;
    }
}
