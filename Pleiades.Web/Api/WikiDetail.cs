using Pleiades.Web.Data;
using Pleiades.Web.Wikis;

namespace Pleiades.Web.Api;

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
