using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// A MessagePack array of strings, written into a pooled buffer: how the counter script receives a batch's
/// operations as one argument instead of ~100,000 (Lua's <c>cmsgpack.unpack</c>, in Redis and in Garnet, turns it
/// back into a table in native code). Numbers are written as decimal strings, exactly as separate arguments were,
/// so the script sees the same values. Not thread-safe; <see cref="Dispose"/> returns the buffer to the pool.
/// </summary>
internal sealed class MessagePackStringArray : IDisposable
{
    // array32 (0xdd) and a big-endian count, always: the count is known only at the end.
    private const int ArrayHeaderBytes = 5;
    private const byte Array32 = 0xdd;
    private const byte FixStr = 0xa0;
    private const int FixStrMaxBytes = 31;
    private const byte Str8 = 0xd9;
    private const byte Str16 = 0xda;
    private const byte Str32 = 0xdb;
    private const int InitialBytes = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _length = ArrayHeaderBytes;

    /// <summary>Strings written so far.</summary>
    public int Count { get; private set; }

    /// <summary>Where the next string starts: pass to <see cref="Truncate"/> to drop everything written after it.</summary>
    public Mark Next => new(_length, Count);

    public void Add(string value) => Add(value, string.Empty, string.Empty);

    /// <summary>Adds the concatenation of the parts (a joined field, a prefixed counter name) without making it a string.</summary>
    public void Add(string first, string second, string third = "")
    {
        var bytes = Encoding.UTF8.GetByteCount(first) + Encoding.UTF8.GetByteCount(second) + Encoding.UTF8.GetByteCount(third);
        var span = StartString(bytes);
        var written = Encoding.UTF8.GetBytes(first, span);
        written += Encoding.UTF8.GetBytes(second, span[written..]);
        Encoding.UTF8.GetBytes(third, span[written..]);
    }

    /// <summary>Adds <paramref name="value"/> in decimal, zero-padded to <paramref name="digits"/>, then the
    /// other parts (a joined field such as <c>{mmmm}|{wiki}</c>).</summary>
    public void Add(long value, int digits = 0, string second = "", string third = "")
    {
        Span<byte> number = stackalloc byte[24];
        var format = digits > 0 ? new StandardFormat('D', (byte)digits) : default;
        if (!Utf8Formatter.TryFormat(value, number, out var numberBytes, format))
        {
            throw new InvalidOperationException($"{value} did not format.");
        }

        var span = StartString(numberBytes + Encoding.UTF8.GetByteCount(second) + Encoding.UTF8.GetByteCount(third));
        number[..numberBytes].CopyTo(span);
        var written = numberBytes + Encoding.UTF8.GetBytes(second, span[numberBytes..]);
        Encoding.UTF8.GetBytes(third, span[written..]);
    }

    /// <summary>Drops every string written after <paramref name="mark"/>.</summary>
    public void Truncate(Mark mark) => (_length, Count) = (mark.Length, mark.Count);

    /// <summary>Replaces the string that starts at <paramref name="mark"/> with <paramref name="value"/>, which
    /// must format to the same number of bytes (a placeholder of fixed width written before the count was known).</summary>
    public void Overwrite(Mark mark, long value, int digits)
    {
        var span = _buffer.AsSpan(mark.Length + 1, digits);
        if (!Utf8Formatter.TryFormat(value, span, out var written, new StandardFormat('D', (byte)digits)) || written != digits)
        {
            throw new InvalidOperationException($"{value} does not fit {digits} digits.");
        }
    }

    /// <summary>The whole array. Valid until the next write or <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> ToMemory()
    {
        _buffer[0] = Array32;
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(1, 4), Count);
        return _buffer.AsMemory(0, _length);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>A place in the array: its length in bytes and strings at that point.</summary>
    public readonly record struct Mark(int Length, int Count);

    /// <summary>Writes a string header for <paramref name="bytes"/> bytes and returns the space for them.</summary>
    private Span<byte> StartString(int bytes)
    {
        Ensure(5 + bytes);
        var header = _buffer.AsSpan(_length);
        int headerBytes;
        if (bytes <= FixStrMaxBytes)
        {
            header[0] = (byte)(FixStr | bytes);
            headerBytes = 1;
        }
        else if (bytes <= byte.MaxValue)
        {
            header[0] = Str8;
            header[1] = (byte)bytes;
            headerBytes = 2;
        }
        else if (bytes <= ushort.MaxValue)
        {
            header[0] = Str16;
            BinaryPrimitives.WriteUInt16BigEndian(header[1..], (ushort)bytes);
            headerBytes = 3;
        }
        else
        {
            header[0] = Str32;
            BinaryPrimitives.WriteInt32BigEndian(header[1..], bytes);
            headerBytes = 5;
        }

        var start = _length + headerBytes;
        _length = start + bytes;
        Count++;
        return _buffer.AsSpan(start, bytes);
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
