using System.Buffers;
using System.Buffers.Text;

namespace Pleiades.Sse;

/// <summary>
/// Incremental parser of a <c>text/event-stream</c> body, following the EventSource specification
/// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
/// one leading UTF-8 BOM is skipped; lines end in CRLF, LF or CR (a CR at the end of one chunk and an LF at the
/// start of the next are one line end); <c>data</c> lines join with LF; <c>id</c> persists across frames and is
/// ignored when it contains NUL; <c>retry</c> takes ASCII digits only; comments and unknown fields are counted
/// and dropped; a frame with no data is not dispatched. It is fed whatever bytes have arrived and never looks
/// back at consumed ones, so any split of the stream into chunks yields the same frames.
/// Allocations per frame: the data array, and the id array when the id changed. One parser per connection.
/// </summary>
public sealed class SseParser(int maxLineLength = SseParser.DefaultMaxLineLength)
{
    /// <summary>Longest line accepted (16 MiB); a longer one means the peer is not an SSE server, and the connection is dropped.</summary>
    public const int DefaultMaxLineLength = 16 * 1024 * 1024;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];
    private static ReadOnlySpan<byte> LineEnds => "\r\n"u8;

    private readonly ArrayBufferWriter<byte> _data = new(4096);
    private byte[]? _lineScratch;
    private bool _bomChecked;
    private bool _afterCr;
    private string? _eventType;
    private ReadOnlyMemory<byte> _lastEventId = ReadOnlyMemory<byte>.Empty;
    private long _dataLines, _idLines, _eventLines, _retryLines, _commentLines, _unknownLines;

    /// <summary>The reconnection time the server asked for with <c>retry:</c>, if it did.</summary>
    public TimeSpan? Retry { get; private set; }

    /// <summary>The last event id buffer: what a reconnect sends as <c>Last-Event-ID</c>.</summary>
    public ReadOnlyMemory<byte> LastEventId => _lastEventId;

    /// <summary>Lines read so far, by kind.</summary>
    public SseLineCounts LineCounts => new(_dataLines, _idLines, _eventLines, _retryLines, _commentLines, _unknownLines);

    /// <summary>
    /// Consumes complete lines from the front of <paramref name="buffer"/> until a frame is dispatched (true) or
    /// only an incomplete line is left (false). <paramref name="buffer"/> is sliced past what was consumed; the
    /// caller keeps the rest and calls again when more bytes have arrived.
    /// </summary>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out SseFrame frame)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            if (!_bomChecked)
            {
                if (reader.Remaining < Bom.Length && IsBomPrefix(reader.UnreadSequence))
                {
                    frame = default;
                    return false;
                }

                reader.IsNext(Bom, advancePast: true);
                _bomChecked = true;
            }

            while (true)
            {
                if (_afterCr)
                {
                    if (reader.End)
                    {
                        break;
                    }

                    reader.IsNext((byte)'\n', advancePast: true);
                    _afterCr = false;
                }

                if (!reader.TryReadToAny(out ReadOnlySequence<byte> line, LineEnds, advancePastDelimiter: false))
                {
                    if (reader.Remaining > maxLineLength)
                    {
                        throw new SseFormatException($"an SSE line is longer than {maxLineLength} bytes");
                    }

                    break;
                }

                reader.TryRead(out var lineEnd);
                _afterCr = lineEnd == (byte)'\r';
                if (ProcessLine(line, out frame))
                {
                    return true;
                }
            }

            frame = default;
            return false;
        }
        finally
        {
            buffer = buffer.Slice(reader.Position);
        }
    }

    private static bool IsBomPrefix(ReadOnlySequence<byte> rest)
    {
        Span<byte> head = stackalloc byte[3];
        rest.CopyTo(head);
        return Bom.StartsWith(head[..(int)rest.Length]);
    }

    private bool ProcessLine(in ReadOnlySequence<byte> line, out SseFrame frame)
    {
        if (line.IsSingleSegment)
        {
            return ProcessLine(line.FirstSpan, out frame);
        }

        var length = (int)line.Length;
        if (_lineScratch is null || _lineScratch.Length < length)
        {
            _lineScratch = new byte[Math.Max(length, 4096)];
        }

        line.CopyTo(_lineScratch);
        return ProcessLine(_lineScratch.AsSpan(0, length), out frame);
    }

    private bool ProcessLine(ReadOnlySpan<byte> line, out SseFrame frame)
    {
        frame = default;
        if (line.IsEmpty)
        {
            return Dispatch(out frame);
        }

        if (line[0] == (byte)':')
        {
            _commentLines++;
            return false;
        }

        ReadOnlySpan<byte> field, value;
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            field = line;
            value = [];
        }
        else
        {
            field = line[..colon];
            value = line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }
        }

        if (field.SequenceEqual("data"u8))
        {
            _dataLines++;
            _data.Write(value);
            _data.Write("\n"u8);
        }
        else if (field.SequenceEqual("id"u8))
        {
            _idLines++;
            if (value.IndexOf((byte)0) < 0 && !value.SequenceEqual(_lastEventId.Span))
            {
                _lastEventId = value.ToArray();
            }
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventLines++;
            _eventType = value.SequenceEqual("message"u8) ? SseFrame.DefaultEventType
                : value.SequenceEqual("error"u8) ? "error"
                : System.Text.Encoding.UTF8.GetString(value);
        }
        else if (field.SequenceEqual("retry"u8))
        {
            _retryLines++;
            if (!value.IsEmpty && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
                && Utf8Parser.TryParse(value, out long milliseconds, out var consumed) && consumed == value.Length)
            {
                Retry = TimeSpan.FromMilliseconds(milliseconds);
            }
        }
        else
        {
            _unknownLines++;
        }

        return false;
    }

    private bool Dispatch(out SseFrame frame)
    {
        var eventType = string.IsNullOrEmpty(_eventType) ? SseFrame.DefaultEventType : _eventType;
        _eventType = null;
        if (_data.WrittenCount == 0)
        {
            frame = default;
            return false;
        }

        // Uninitialized: the copy overwrites every byte, so zeroing the event first would be wasted work per event.
        var data = GC.AllocateUninitializedArray<byte>(_data.WrittenCount - 1);
        _data.WrittenSpan[..^1].CopyTo(data);
        _data.ResetWrittenCount();
        frame = new SseFrame(eventType, _lastEventId, data);
        return true;
    }
}
