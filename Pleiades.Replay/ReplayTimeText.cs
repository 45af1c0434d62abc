using System.Buffers.Text;

namespace Pleiades.Replay;

/// <summary>
/// Writes a shifted time in the exact layout of the value it replaces, so that a rewritten event differs from the
/// captured one only in its times: ISO-8601 <c>yyyy-MM-ddTHH:mm:ss</c>, the same number of fraction digits, then
/// <c>Z</c> or an offset written as <c>+00:00</c> (the time is UTC); or Unix seconds.
/// </summary>
public static class ReplayTimeText
{
    private const int SecondsLength = 19;

    /// <summary>Whether <paramref name="value"/> is an ISO-8601 time this class can rewrite in place.</summary>
    public static bool IsRewritableIso(ReadOnlySpan<byte> value)
    {
        if (value.Length < SecondsLength + 1 || value[4] != '-' || value[7] != '-' || value[10] != 'T' || value[13] != ':' || value[16] != ':')
        {
            return false;
        }

        var zone = value[(SecondsLength + FractionLength(value))..];
        return zone.SequenceEqual("Z"u8) || (zone.Length == 6 && zone[0] is (byte)'+' or (byte)'-' && zone[3] == ':');
    }

    /// <summary>Writes <paramref name="unixMs"/> over <paramref name="value"/> (an <see cref="IsRewritableIso"/> time) in its layout.</summary>
    public static void WriteIso(Span<byte> value, long unixMs)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
        Digits(value, time.Year, 4);
        Digits(value[5..], time.Month, 2);
        Digits(value[8..], time.Day, 2);
        Digits(value[11..], time.Hour, 2);
        Digits(value[14..], time.Minute, 2);
        Digits(value[17..], time.Second, 2);
        var fraction = FractionLength(value);
        if (fraction > 0)
        {
            // The dot stays; milliseconds, then zeros for any finer digits.
            var digits = value.Slice(SecondsLength + 1, fraction - 1);
            digits.Fill((byte)'0');
            Digits(digits, time.Millisecond, Math.Min(3, digits.Length), fromLeft: true);
        }

        var zone = value[(SecondsLength + fraction)..];
        if (zone.Length == 6)
        {
            "+00:00"u8.CopyTo(zone);
        }
    }

    /// <summary>Writes <paramref name="unixMs"/> as whole Unix seconds; returns the bytes written.</summary>
    public static int WriteUnixSeconds(Span<byte> destination, long unixMs)
    {
        var seconds = unixMs / 1000;
        if (unixMs % 1000 < 0)
        {
            seconds--;
        }

        Utf8Formatter.TryFormat(seconds, destination, out var written);
        return written;
    }

    /// <summary>The length of <c>.fff...</c> after the seconds (0 when there is none).</summary>
    private static int FractionLength(ReadOnlySpan<byte> value)
    {
        if (value.Length <= SecondsLength || value[SecondsLength] != '.')
        {
            return 0;
        }

        var length = 1;
        while (SecondsLength + length < value.Length && char.IsAsciiDigit((char)value[SecondsLength + length]))
        {
            length++;
        }

        return length;
    }

    /// <summary>Writes the <paramref name="count"/> leading (or, with <paramref name="fromLeft"/>, most significant of 3) digits of <paramref name="number"/>.</summary>
    private static void Digits(Span<byte> destination, int number, int count, bool fromLeft = false)
    {
        if (fromLeft)
        {
            // Milliseconds 0-999 as three digits, of which the first `count` are kept.
            Span<byte> three = [(byte)('0' + (number / 100)), (byte)('0' + (number / 10 % 10)), (byte)('0' + (number % 10))];
            three[..count].CopyTo(destination);
            return;
        }

        for (var i = count - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (number % 10));
            number /= 10;
        }
    }
}
