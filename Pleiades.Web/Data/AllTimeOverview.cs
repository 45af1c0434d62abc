using System.Runtime.CompilerServices;
using Pleiades.Counters;

namespace Pleiades.Web.Data;

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
