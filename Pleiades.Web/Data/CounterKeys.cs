using System.Globalization;

namespace Pleiades.Web.Data;

/// <summary>
/// The Redis key names the Web reads, exactly as docs/redis-keys.md lays them out. Kept in this one file
/// until the shared <c>Pleiades.Counting.RedisKeys</c> (written by the Aggregator) can replace it.
/// </summary>
internal static class CounterKeys
{
    /// <summary>Sorted set of every day that has counters (member and score = the day).</summary>
    public const string Days = "pleiades:days";

    /// <summary>Hash of the contract counters over all time.</summary>
    public const string CountersAllTime = "pleiades:counters:all";

    /// <summary>Hash with <c>lastEventUnixMs</c> and <c>lastBatchUnixMs</c>.</summary>
    public const string Status = "pleiades:status";

    public const string LastEventField = "lastEventUnixMs";
    public const string LastBatchField = "lastBatchUnixMs";

    /// <summary>Separator between the wiki and the rest of a field or member; the Web splits at the first one only.</summary>
    public const char FieldSeparator = '|';

    public static string Counters(long day) => Keyed("pleiades:counters:", day);

    public static string Namespaces(long day) => Keyed("pleiades:namespaces:", day);

    public static string Hours(long day) => Keyed("pleiades:hours:", day);

    public static string Minutes(long day) => Keyed("pleiades:minutes:", day);

    public static string TopPages(long day) => Keyed("pleiades:top:pages:", day);

    public static string TopHumanEditors(long day) => Keyed("pleiades:top:editors:", day) + ":human";

    public static string TopBotEditors(long day) => Keyed("pleiades:top:editors:", day) + ":bot";

    public static string Editors(long day) => Keyed("pleiades:editors:", day);

    public static string BotsPerWiki(long day) => Keyed("pleiades:bots:", day);

    /// <summary>Field of an hour (00-23) in the hours hash.</summary>
    public static string HourField(int hour) => hour.ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Field of a minute of the day (0000-1439) in the minutes hash.</summary>
    public static string MinuteField(int minute) => minute.ToString("0000", CultureInfo.InvariantCulture);

    private static string Keyed(string prefix, long day) => prefix + day.ToString(CultureInfo.InvariantCulture);
}
