using System.Runtime.CompilerServices;
using Pleiades.Counters;
using Pleiades.Web.Data;
using Pleiades.Web.Wikis;

namespace Pleiades.Web.Api;

/// <summary>Events per hour (24 values) and per minute of the day (1,440 values, UTC).</summary>
public sealed record DaySeries(long Day, IReadOnlyList<long> EventsPerHour, IReadOnlyList<long> EventsPerMinute);

/// <summary>A wiki's events on a day, with its project and language.</summary>
public sealed record WikiRanking(string Wiki, string Family, string Name, long Events, long BotEvents)
{
    /// <summary>Every wiki of a snapshot ranked once, shared by all requests and dashboards while the snapshot lives
    /// (naming and sorting a thousand wikis on every request was a visible share of the Web's CPU).</summary>
    private static readonly ConditionalWeakTable<DayView, (WikiFamily Family, WikiRanking Ranking)[]> Ranked = new();

    /// <summary>The wikis of <paramref name="family"/> (all when null) by events, most first.</summary>
    public static IReadOnlyList<WikiRanking> Rank(DayView view, WikiFamily? family, int limit)
    {
        var top = new List<WikiRanking>(Math.Min(limit, 64));
        foreach (var (wikiFamily, ranking) in Ranked.GetValue(view, RankAll))
        {
            if (top.Count == limit)
            {
                break;
            }

            if (family is null || wikiFamily == family)
            {
                top.Add(ranking);
            }
        }

        return top;
    }

    private static (WikiFamily, WikiRanking)[] RankAll(DayView view) =>
        view.EventsPerWiki()
            .Select(w => (Name: WikiName.Parse(w.Key), Events: w.Value))
            .OrderByDescending(w => w.Events)
            .ThenBy(w => w.Name.Id, StringComparer.Ordinal)
            .Select(w => (w.Name.Family, new WikiRanking(w.Name.Id, w.Name.Family.ToString(), w.Name.DisplayName, w.Events,
                view.BotEventsPerWiki.TryGetValue(w.Name.Id, out var bots) ? bots : 0)))
            .ToArray();
}

/// <summary>The day's headline numbers as the dashboard shows them.</summary>
public sealed record DayOverview(
    long Day,
    long Events,
    long BotEvents,
    long MinorEdits,
    long NewPages,
    long Growth,
    long PagesGrown,
    long PagesShrunk,
    long UniqueEditors,
    IReadOnlyDictionary<string, long> EventsPerType)
{
    /// <summary>Made once per snapshot and shared, as the wiki ranking (finding the types scans every counter).</summary>
    private static readonly ConditionalWeakTable<DayView, DayOverview> Made = new();

    public static DayOverview From(DayView view) => Made.GetValue(view, Make);

    private static DayOverview Make(DayView view) => new(
        view.Day,
        view.Counter(CounterNames.Total),
        view.Counter(CounterNames.Bot),
        view.Counter(CounterNames.Minor),
        view.Counter(CounterNames.Type("new")),
        view.Counter(CounterNames.Growth),
        view.Counter(CounterNames.LengthIncrease),
        view.Counter(CounterNames.LengthDecrease),
        view.UniqueEditors,
        view.EventsPerType().OrderByDescending(t => t.Value).ToDictionary(StringComparer.Ordinal));
}

/// <summary>
/// The all-time headline numbers as the dashboard shows them beside the day's: from the first day with data, over
/// <see cref="DaysWithData"/> days.
/// </summary>
public sealed record AllTimeOverview(
    long FirstDay,
    long DaysWithData,
    long Events,
    long BotEvents,
    long MinorEdits,
    long NewPages,
    long Growth,
    long Wikis)
{
    /// <summary>Made once per snapshot and shared, as the day's overview (counting the wikis scans every counter).</summary>
    private static readonly ConditionalWeakTable<AllTimeCounters, AllTimeOverview> Made = new();

    public static AllTimeOverview From(AllTimeCounters counters) => Made.GetValue(counters, Make);

    private static AllTimeOverview Make(AllTimeCounters all)
    {
        var counters = all.Document.Value.Counters;
        var values = counters.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
        long Value(string name) => values.TryGetValue(name, out var value) ? value : 0;
        return new(
            all.FirstDay,
            all.DaysWithData,
            Value(CounterNames.Total),
            Value(CounterNames.Bot),
            Value(CounterNames.Minor),
            Value(CounterNames.Type("new")),
            Value(CounterNames.Growth),
            counters.Count(c => c.Name.StartsWith(CounterNames.WikiPrefix, StringComparison.Ordinal)));
    }
}

/// <summary>
/// When counters last arrived; <see cref="Stale"/> says that none came for longer than the configured time;
/// <see cref="Loss"/>, when events were lost before they were counted (null when none ever were).
/// </summary>
public sealed record FeedState(long? LastEventUnixMs, long? LastBatchUnixMs, bool Stale, EventLoss? Loss = null)
{
    public static FeedState From(FeedStatus status, DateTimeOffset now, TimeSpan staleAfter) => new(
        status.LastEventUnixMs,
        status.LastBatchUnixMs,
        status.LastBatchUnixMs is not { } last || now.ToUnixTimeMilliseconds() - last > (long)staleAfter.TotalMilliseconds,
        status.Loss);
}

/// <summary>One wiki's share of a day.</summary>
public sealed record WikiDetail(
    long Day,
    string Wiki,
    string Family,
    string Name,
    long Events,
    long BotEvents,
    IReadOnlyList<long> EventsPerHour,
    IReadOnlyList<long> EventsPerMinute,
    IReadOnlyDictionary<int, long> EventsPerNamespace,
    IReadOnlyList<RankedEntry> TopPages)
{
    public static WikiDetail From(WikiView view)
    {
        var name = WikiName.Parse(view.Wiki);
        return new(view.Day, view.Wiki, name.Family.ToString(), name.DisplayName, view.Events, view.BotEvents,
            view.EventsPerHour, view.EventsPerMinute, view.EventsPerNamespace, view.TopPages);
    }
}
