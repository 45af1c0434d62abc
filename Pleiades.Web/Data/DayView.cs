using Pleiades.Counters;

namespace Pleiades.Web.Data;

/// <summary>One entry of a top list: a page or an editor on a wiki, and how many events it had.</summary>
public sealed record RankedEntry(string Wiki, string Name, long Events);

/// <summary>When data last arrived: the newest event time and the wall-clock time of the last batch, in Unix ms.</summary>
public sealed record FeedStatus(long? LastEventUnixMs, long? LastBatchUnixMs)
{
    public static FeedStatus Unknown { get; } = new(null, null);

    /// <summary>Events the Aggregators found gone from the event log before they were counted; null when none ever were.</summary>
    public EventLoss? Loss { get; init; }
}

/// <summary>
/// What the Aggregators recorded of events lost before they were counted (docs/redis-keys.md, <c>pleiades:status</c>):
/// how many gaps, events (exact for Kafka) and bytes (the file log's, whose events are not numbered), and the last one.
/// </summary>
public sealed record EventLoss(long Losses, long LostEvents, long LostBytes, long? LastLossUnixMs, string? LastLoss);

/// <summary>Everything the dashboard shows for one day, read in one Redis call.</summary>
public sealed record DayView(
    long Day,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<long> EventsPerHour,
    IReadOnlyList<long> EventsPerMinute,
    IReadOnlyList<RankedEntry> TopPages,
    IReadOnlyList<RankedEntry> TopHumanEditors,
    IReadOnlyList<RankedEntry> TopBotEditors,
    long UniqueEditors,
    IReadOnlyDictionary<string, long> BotEventsPerWiki,
    FeedStatus Status,
    IReadOnlyList<long> Days)
{
    public long Counter(string name) => Counters.TryGetValue(name, out var value) ? value : 0;

    /// <summary>Events per wiki, from the <c>pleiades_wiki_*</c> counters.</summary>
    public IEnumerable<KeyValuePair<string, long>> EventsPerWiki() =>
        Counters.Where(c => c.Key.StartsWith(CounterNames.WikiPrefix, StringComparison.Ordinal))
            .Select(c => KeyValuePair.Create(c.Key[CounterNames.WikiPrefix.Length..], c.Value));

    /// <summary>Events per type (edit, new, log, ...), from the <c>pleiades_type_*</c> counters.</summary>
    public IEnumerable<KeyValuePair<string, long>> EventsPerType() =>
        Counters.Where(c => c.Key.StartsWith(CounterNames.TypePrefix, StringComparison.Ordinal))
            .Select(c => KeyValuePair.Create(c.Key[CounterNames.TypePrefix.Length..], c.Value));
}

/// <summary>One wiki's share of a day, read in one Redis call.</summary>
public sealed record WikiView(
    long Day,
    string Wiki,
    long Events,
    long BotEvents,
    IReadOnlyList<long> EventsPerHour,
    IReadOnlyList<long> EventsPerMinute,
    IReadOnlyDictionary<int, long> EventsPerNamespace,
    IReadOnlyList<RankedEntry> TopPages);
