using Pleiades.Counters;

namespace Pleiades.Web.Data;

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
    AggregatorStatus Status,
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
