using Pleiades.Counting;
using Pleiades.Web.Data;
using Pleiades.Web.Wikis;

namespace Pleiades.Web.Api;

/// <summary>Events per hour (24 values) and per minute of the day (1,440 values, UTC).</summary>
public sealed record DaySeries(long Day, IReadOnlyList<long> EventsPerHour, IReadOnlyList<long> EventsPerMinute);

/// <summary>A wiki's events on a day, with its project and language.</summary>
public sealed record WikiRanking(string Wiki, string Family, string Name, long Events, long BotEvents)
{
    /// <summary>The wikis of <paramref name="family"/> (all when null) by events, most first.</summary>
    public static IReadOnlyList<WikiRanking> Rank(DayView view, WikiFamily? family, int limit) =>
        view.EventsPerWiki()
            .Select(w => (Name: WikiName.Parse(w.Key), Events: w.Value))
            .Where(w => family is null || w.Name.Family == family)
            .OrderByDescending(w => w.Events)
            .ThenBy(w => w.Name.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(w => new WikiRanking(w.Name.Id, w.Name.Family.ToString(), w.Name.DisplayName, w.Events,
                view.BotEventsPerWiki.TryGetValue(w.Name.Id, out var bots) ? bots : 0))
            .ToList();
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
    public static DayOverview From(DayView view) => new(
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

/// <summary>When counters last arrived; <see cref="Stale"/> says that none came for longer than the configured time.</summary>
public sealed record FeedState(long? LastEventUnixMs, long? LastBatchUnixMs, bool Stale)
{
    public static FeedState From(FeedStatus status, DateTimeOffset now, TimeSpan staleAfter) => new(
        status.LastEventUnixMs,
        status.LastBatchUnixMs,
        status.LastBatchUnixMs is not { } last || now.ToUnixTimeMilliseconds() - last > (long)staleAfter.TotalMilliseconds);
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
