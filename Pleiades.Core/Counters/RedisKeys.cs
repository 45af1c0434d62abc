using System.Globalization;

namespace Pleiades.Counters;

/// <summary>
/// Every Redis key and hash field Pleiades uses (docs/redis-keys.md), in one place for the Aggregator that
/// writes them and the Web that reads them. <c>d</c> is the contract's day (<see cref="UnixDay"/>).
/// </summary>
public static class RedisKeys
{
    /// <summary>Separates a wiki from the rest of a field or member; wiki names never contain it.</summary>
    public const char Separator = '|';

    /// <summary><see cref="Separator"/> as a string.</summary>
    public const string SeparatorText = "|";

    /// <summary>Digits of the <c>{hh}</c> field (zero-padded).</summary>
    public const int HourDigits = 2;

    /// <summary>Digits of the <c>{mmmm}</c> field (zero-padded).</summary>
    public const int MinuteDigits = 4;

    /// <summary>Sorted set of the days that have counters, member and score both the day.</summary>
    public const string Days = "pleiades:days";

    /// <summary>Hash of the counters over all time.</summary>
    public const string AllTimeCounters = "pleiades:counters:all";

    /// <summary>Hash of liveness facts: <see cref="LastEventField"/> and <see cref="LastBatchField"/>.</summary>
    public const string Status = "pleiades:status";

    /// <summary>Newest <c>meta.dt</c> applied, Unix milliseconds.</summary>
    public const string LastEventField = "lastEventUnixMs";

    /// <summary>Wall clock of the last applied batch, Unix milliseconds.</summary>
    public const string LastBatchField = "lastBatchUnixMs";

    /// <summary>Events the Aggregators found gone from the log before they were counted (Kafka offsets: exact).</summary>
    public const string LostEventsField = "lostEvents";

    /// <summary>Bytes of file log records retention deleted before they were counted (their number of events is not known).</summary>
    public const string LostBytesField = "lostBytes";

    /// <summary>How many distinct gaps were found (each recorded once, whichever Aggregator found it).</summary>
    public const string LossesField = "losses";

    /// <summary>Wall clock when the last gap was recorded, Unix milliseconds.</summary>
    public const string LastLossUnixMsField = "lastLossUnixMs";

    /// <summary>One line saying what the last gap was (log, partition, positions, how much).</summary>
    public const string LastLossField = "lastLoss";

    /// <summary>
    /// Hash of every gap found, so that a gap seen again (by another Aggregator, or after a restart) is not counted
    /// twice: field <c>{logId}|{partition}|{from}</c>, value the position after the gap.
    /// </summary>
    public const string Losses = "pleiades:losses";

    /// <summary>The position field of the file log inside its positions hash.</summary>
    public const string FilePositionField = "file";

    /// <summary>How many members the top pages and top editors sets keep after each batch.</summary>
    public const int TopSetSize = 1000;

    public static string Counters(long day) => "pleiades:counters:" + Day(day);

    public static string Namespaces(long day) => "pleiades:namespaces:" + Day(day);

    public static string Hours(long day) => "pleiades:hours:" + Day(day);

    /// <summary>All events per minute of the day: kept with the day.</summary>
    public static string Minutes(long day) => "pleiades:minutes:" + Day(day);

    /// <summary>Each wiki's events per minute of the day: kept for the minute retention after the day.</summary>
    public static string WikiMinutes(long day) => "pleiades:minutes:wikis:" + Day(day);

    public static string TopPages(long day) => "pleiades:top:pages:" + Day(day);

    public static string TopEditors(long day, bool bots) => "pleiades:top:editors:" + Day(day) + (bots ? ":bot" : ":human");

    public static string Editors(long day) => "pleiades:editors:" + Day(day);

    public static string Bots(long day) => "pleiades:bots:" + Day(day);

    /// <summary>Hash of the next position to read per partition (or <see cref="FilePositionField"/>) of one log.</summary>
    public static string Positions(string logId) => "pleiades:positions:" + logId;

    /// <summary>The identity of a Kafka log: positions of another cluster or topic never apply to this one.
    /// (A file log's is <c>Pleiades.EventLog.FileLogIdentity.LogKey</c>.)</summary>
    public static string KafkaLogId(string clusterId, string topic) => $"kafka:{clusterId}:{topic}";

    /// <summary>A day as written in keys and members: decimal, invariant.</summary>
    public static string Day(long day) => day.ToString(CultureInfo.InvariantCulture);

    /// <summary>The <c>{hh}</c> field of <c>pleiades:hours:{d}</c>.</summary>
    public static string Hour(int hour) => hour.ToString("D" + HourDigits, CultureInfo.InvariantCulture);

    /// <summary>The <c>{mmmm}</c> field of <c>pleiades:minutes:{d}</c> (minute of the day; <c>{mmmm}|{wiki}</c> in <c>pleiades:minutes:wikis:{d}</c>).</summary>
    public static string Minute(int minuteOfDay) => minuteOfDay.ToString("D" + MinuteDigits, CultureInfo.InvariantCulture);

    /// <summary>Joins a field's parts with <see cref="Separator"/>: <c>{first}|{second}</c>.</summary>
    public static string Join(string first, string second) => string.Concat(first, SeparatorText, second);
}
