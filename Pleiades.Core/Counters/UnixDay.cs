namespace Pleiades.Counters;

/// <summary>
/// The contract's day: Unix seconds divided by 86,400, in UTC. Every counter key, every API path and every page
/// names days this way; this is the one place that knows how long a day is.
/// </summary>
public static class UnixDay
{
    public const long Seconds = 86_400;

    public const long Milliseconds = Seconds * 1000;

    /// <summary>The day of a Unix time in milliseconds (an event's time).</summary>
    public static long OfUnixMilliseconds(long unixMilliseconds) => unixMilliseconds / Milliseconds;

    /// <summary>The day of a Unix time in seconds.</summary>
    public static long OfUnixSeconds(long unixSeconds) => unixSeconds / Seconds;

    /// <summary>The day of <paramref name="time"/>.</summary>
    public static long Of(DateTimeOffset time) => OfUnixSeconds(time.ToUnixTimeSeconds());

    /// <summary>Unix seconds at the start of <paramref name="day"/>.</summary>
    public static long StartSeconds(long day) => day * Seconds;

    /// <summary>The start of <paramref name="day"/>, in UTC.</summary>
    public static DateTimeOffset Start(long day) => DateTimeOffset.FromUnixTimeSeconds(StartSeconds(day));

    /// <summary>The minute of the day (0 to 1,439) of a time in Unix seconds.</summary>
    public static int MinuteOfDay(long unixSeconds) => (int)(unixSeconds % Seconds / 60);
}
