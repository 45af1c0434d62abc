using System.Globalization;

namespace Pleiades.EventLog.FileLog;

/// <summary>
/// A place in a file log: a segment number and a byte offset inside that segment. Positions of records
/// compare in log order. Stored in Redis as text (<c>"3:1048576"</c>, see <see cref="ToString"/>) or as one
/// 64-bit number (<see cref="ToInt64"/>: segment in the high 24 bits, offset in the low 40 bits, so segments
/// up to 1 TiB and 16 million segments). <see cref="Start"/> is the beginning of the log.
/// </summary>
public readonly record struct FileLogPosition(int Segment, long Offset) : IComparable<FileLogPosition>
{
    private const int OffsetBits = 40;
    private const long OffsetMask = (1L << OffsetBits) - 1;

    /// <summary>The first record of the log, whatever its segment header size.</summary>
    public static FileLogPosition Start { get; } = new(0, 0);

    public int CompareTo(FileLogPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    public static bool operator <(FileLogPosition left, FileLogPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(FileLogPosition left, FileLogPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(FileLogPosition left, FileLogPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(FileLogPosition left, FileLogPosition right) => left.CompareTo(right) >= 0;

    /// <summary>The position as one number (segment in the high 24 bits, offset in the low 40).</summary>
    public long ToInt64() => ((long)Segment << OffsetBits) | Offset;

    public static FileLogPosition FromInt64(long value) =>
        value < 0 ? throw new ArgumentOutOfRangeException(nameof(value), "a file log position is never negative")
            : new((int)(value >> OffsetBits), value & OffsetMask);

    /// <summary><c>segment:offset</c> in decimal, e.g. <c>3:1048576</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Segment}:{Offset}");

    public static bool TryParse(string? text, out FileLogPosition position)
    {
        position = default;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0
            || !int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
            || !long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || offset > OffsetMask)
        {
            return false;
        }

        position = new FileLogPosition(segment, offset);
        return true;
    }

    public static FileLogPosition Parse(string text) =>
        TryParse(text, out var position) ? position : throw new FormatException($"'{text}' is not a file log position (segment:offset)");
}
