using Pleiades.Web.Data;
using Pleiades.Web.Wikis;

namespace Pleiades.Web.Api;

/// <summary>One wiki's share of a day as <c>/api/stats/{day}/wikis/{wiki}</c> answers: its counters, with its project and language.</summary>
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
    public static WikiDetail From(WikiDayCounters counters)
    {
        var name = WikiName.Parse(counters.Wiki);
        return new(counters.Day, counters.Wiki, name.Family.ToString(), name.DisplayName, counters.Events, counters.BotEvents,
            counters.EventsPerHour, counters.EventsPerMinute, counters.EventsPerNamespace, counters.TopPages);
    }
}
