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
    /// second copy on with a fresh <c>meta.id</c>, so every copy is a distinct event to any deduplication.
    /// </summary>
    public void WriteData(IBufferWriter<byte> writer, long index)
    {
        var replayEvent = Events[(int)(index % Events.Count)];
        var copy = index / Events.Count;
        var data = replayEvent.Data;
        var span = writer.GetSpan(data.Length);
        data.Span.CopyTo(span);
        if (copy > 0 && replayEvent.MetaIdStart >= 0)
        {
            FreshMetaId(copy, index % Events.Count).TryFormat(span.Slice(replayEvent.MetaIdStart, GuidLength), out _, "D");
        }

        writer.Advance(data.Length);
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
                    reader.TryGetInt64(out timestampSeconds);
                }
                else if (depth == depth0 + 1)
                {
                    inObject = null;
                    reader.Skip();
                }
                else if (inObject == "meta" && depth == depth0 + 2 && reader.ValueTextEquals("dt"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    if (DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt))
                    {
                        time = dt.ToUnixTimeMilliseconds();
                    }
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

        return new ReplayEvent(data, time != 0 ? time : timestampSeconds * 1000, metaIdStart);
    }
}
