using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pleiades.Counters;
using Pleiades.Web.Telemetry;
using StackExchange.Redis;

namespace Pleiades.Web.Data;

/// <summary>
/// Reads the counters from Redis, one call per view (docs/redis-keys.md), and shapes the replies. Never uses
/// KEYS or SCAN. A Redis that does not answer becomes <see cref="CounterReadState.RedisUnreachable"/>, not an exception.
/// </summary>
/// <remarks>
/// The connection is resolved per read, not injected: through Sentinel, making it throws while no Sentinel answers,
/// and the container then tries again at the next resolution, so the site recovers once Redis is back.
/// </remarks>
public sealed class CounterReader(IServiceProvider services, WebTelemetry telemetry, ILogger<CounterReader> logger)
{
    /// <summary>How many entries the top lists hold at most (the Aggregator keeps 1,000).</summary>
    public const int TopListLength = 100;

    private static readonly IReadOnlyList<long> NoDays = [];

    private static readonly RedisValue[] StatusFields =
    [
        RedisKeys.LastEventField, RedisKeys.LastBatchField, RedisKeys.LossesField, RedisKeys.LostEventsField,
        RedisKeys.LostBytesField, RedisKeys.LastLossUnixMsField, RedisKeys.LastLossField,
    ];

    /// <summary>The status hash's fields, in the order of <see cref="StatusFields"/>.</summary>
    private static AggregatorStatus Status(RedisValue[] fields) => new(ParseNullable(fields[0]), ParseNullable(fields[1]))
    {
        Loss = ParseNullable(fields[2]) is { } losses and > 0
            ? new EventLoss(losses, ParseNullable(fields[3]) ?? 0, ParseNullable(fields[4]) ?? 0, ParseNullable(fields[5]), fields[6].IsNull ? null : fields[6].ToString())
            : null,
    };

    public Task<CounterRead<DayCountersDocument>> ReadDayCountersAsync(long day) =>
        ReadAsync("get_counters", async db =>
        {
            var entries = await db.HashGetAllAsync(RedisKeys.Counters(day));
            if (entries.Length == 0)
            {
                return CounterRead.Empty<DayCountersDocument>();
            }

            var counters = new List<Counter>(entries.Length);
            foreach (var entry in entries)
            {
                AddCounter(counters, entry.Name, entry.Value);
            }

            return CounterRead.Found(Document(UnixDay.StartSeconds(day), counters));
        });

    /// <summary>
    /// The all-time bucket with the first day that has data (its first second is the document's <c>Since</c>) and
    /// the number of days with data, read together by one script so that they describe the same moment.
    /// </summary>
    public Task<CounterRead<AllTimeCounters>> ReadAllTimeCountersAsync() =>
        ReadAsync("get_all_time_counters", async db =>
        {
            var reply = (RedisResult[])(await db.ScriptEvaluateAsync(CounterScripts.AllTimeCounters, [RedisKeys.AllTimeCounters, RedisKeys.Days]))!;
            var entries = (RedisValue[])reply[0]!;
            if (entries.Length == 0)
            {
                return CounterRead.Empty<AllTimeCounters>();
            }

            var counters = new List<Counter>(entries.Length / 2);
            for (var i = 0; i + 1 < entries.Length; i += 2)
            {
                AddCounter(counters, entries[i], entries[i + 1]);
            }

            // The counting script writes the days with the counters, so a first day is there whenever counters are;
            // should it ever be missing, Since is 0 (the epoch) rather than a failure.
            var firstDay = ParseDays((RedisValue[])reply[1]!) is [var first, ..] ? first : 0;
            return CounterRead.Found(new AllTimeCounters(Document(UnixDay.StartSeconds(firstDay), counters), firstDay, (long)reply[2]));
        });

    public Task<CounterRead<IReadOnlyList<long>>> ReadDaysAsync() =>
        ReadAsync("get_days", async db =>
            CounterRead.Found<IReadOnlyList<long>>(ParseDays(await db.SortedSetRangeByRankAsync(RedisKeys.Days))));

    /// <summary>
    /// When the newest counted event happened and the last batch arrived, and what was lost before it was counted
    /// (<c>pleiades:status</c>), whatever day they belong to.
    /// </summary>
    public Task<CounterRead<AggregatorStatus>> ReadAggregatorStatusAsync() =>
        ReadAsync("get_status", async db => CounterRead.Found(Status(await db.HashGetAsync(RedisKeys.Status, StatusFields))));

    public Task<CounterRead<DayView>> ReadDayViewAsync(long day) =>
        ReadAsync("get_day_view", async db =>
        {
            RedisKey[] keys =
            [
                RedisKeys.Counters(day), RedisKeys.Hours(day), RedisKeys.Minutes(day), RedisKeys.TopPages(day),
                RedisKeys.TopEditors(day, bots: false), RedisKeys.TopEditors(day, bots: true), RedisKeys.Editors(day),
                RedisKeys.Bots(day), RedisKeys.Status, RedisKeys.Days,
            ];
            var reply = (RedisResult[])(await db.ScriptEvaluateAsync(CounterScripts.DayView, keys, [TopListLength, .. StatusFields]))!;
            var counters = ParseHash(reply[0]);
            if (counters.Count == 0)
            {
                return CounterRead.Empty<DayView>();
            }

            var status = (RedisResult[])reply[8]!;
            return CounterRead.Found<DayView>(new DayView(
                day,
                counters,
                ParseSeries(reply[1]),
                ParseSeries(reply[2]),
                ParseRanking(reply[3]),
                ParseRanking(reply[4]),
                ParseRanking(reply[5]),
                (long)reply[6],
                ParseHash(reply[7]),
                Status(status.Select(s => (RedisValue)s).ToArray()),
                ParseDays((RedisValue[])reply[9]!)));
        });

    public Task<CounterRead<WikiDayCounters>> ReadWikiDayCountersAsync(long day, string wiki, int topLength) =>
        ReadAsync("get_wiki_view", async db =>
        {
            RedisKey[] keys =
            [
                RedisKeys.Counters(day), RedisKeys.Bots(day), RedisKeys.Hours(day),
                RedisKeys.WikiMinutes(day), RedisKeys.Namespaces(day), RedisKeys.TopPages(day),
            ];
            var reply = (RedisResult[])(await db.ScriptEvaluateAsync(CounterScripts.WikiDayCounters, keys, [wiki, topLength, CounterNames.Wiki(wiki)]))!;
            var events = ParseLong((RedisValue)reply[0]);
            if (events == 0)
            {
                return CounterRead.Empty<WikiDayCounters>();
            }

            var namespaces = new Dictionary<int, long>();
            foreach (var (field, value) in ParseHash(reply[4]))
            {
                if (int.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ns))
                {
                    namespaces[ns] = value;
                }
            }

            return CounterRead.Found<WikiDayCounters>(new WikiDayCounters(
                day, wiki, events, ParseLong((RedisValue)reply[1]), ParseSeries(reply[2]), ParseSeries(reply[3]), namespaces, ParseRanking(reply[5])));
        });

    private async Task<CounterRead<T>> ReadAsync<T>(string operation, Func<IDatabase, Task<CounterRead<T>>> read)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await read(services.GetRequiredService<IConnectionMultiplexer>().GetDatabase());
        }
        catch (RedisException e)
        {
            logger.LogWarning("Reading the counters ({Operation}) failed: {Message}", operation, e.Message);
            return CounterRead.Unreachable<T>(e.Message);
        }
        finally
        {
            telemetry.RecordMarshal(operation, started);
        }
    }

    private static void AddCounter(List<Counter> counters, RedisValue name, RedisValue value)
    {
        if (value.TryParse(out long parsed))
        {
            var text = name.ToString();
            counters.Add(new Counter(text, CounterDescriptions.Describe(text), parsed));
        }
    }

    /// <summary>The counters sorted by name and serialized once, as every request for them within the snapshot gets them.</summary>
    private static DayCountersDocument Document(long since, List<Counter> counters)
    {
        counters.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var value = new DayCounters(since, counters);
        return new DayCountersDocument(value, JsonSerializer.SerializeToUtf8Bytes(value, WebJsonContext.Default.DayCounters));
    }

    private static Dictionary<string, long> ParseHash(RedisResult result)
    {
        var items = (RedisValue[])result!;
        var hash = new Dictionary<string, long>(items.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            if (items[i + 1].TryParse(out long value))
            {
                hash[items[i].ToString()] = value;
            }
        }

        return hash;
    }

    private static long[] ParseSeries(RedisResult result)
    {
        var items = (RedisResult[])result!;
        var series = new long[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            series[i] = items[i].IsNull ? 0 : ParseLong((RedisValue)items[i]);
        }

        return series;
    }

    private static List<RankedEntry> ParseRanking(RedisResult result)
    {
        var items = (RedisValue[])result!;
        var ranking = new List<RankedEntry>(items.Length / 2);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            var member = items[i].ToString();
            var separator = member.IndexOf(RedisKeys.Separator, StringComparison.Ordinal);
            var (wiki, name) = separator < 0 ? ("", member) : (member[..separator], member[(separator + 1)..]);
            var score = double.TryParse(items[i + 1].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? (long)Math.Round(s) : 0;
            ranking.Add(new RankedEntry(wiki, name, score));
        }

        return ranking;
    }

    private static IReadOnlyList<long> ParseDays(RedisValue[] members)
    {
        if (members.Length == 0)
        {
            return NoDays;
        }

        var days = new List<long>(members.Length);
        foreach (var member in members)
        {
            if (member.TryParse(out long day))
            {
                days.Add(day);
            }
        }

        days.Sort();
        return days;
    }

    private static long ParseLong(RedisValue value) => value.TryParse(out long parsed) ? parsed : 0;

    private static long? ParseNullable(RedisResult result) => ParseNullable((RedisValue)result);

    private static long? ParseNullable(RedisValue value) =>
        !value.IsNull && value.TryParse(out long parsed) ? parsed : null;
}
