using System.Runtime.CompilerServices;
using Pleiades.Counters;

namespace Pleiades.Web.Data;

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
