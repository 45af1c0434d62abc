using System.Runtime.CompilerServices;
using Pleiades.Web.Wikis;

namespace Pleiades.Web.Data;

/// <summary>
/// The wikis of a day by events, most first: every wiki of a snapshot named and ranked once, shared by all requests
/// and dashboards while the snapshot lives (naming and sorting a thousand wikis on every request was a visible share
/// of the Web's CPU).
/// </summary>
public static class WikisByEvents
{
    private static readonly ConditionalWeakTable<DayView, (WikiFamily Family, WikiRanking Ranking)[]> Ranked = new();

    /// <summary>The first <paramref name="limit"/> wikis of <paramref name="family"/> (all when null) by events, most first.</summary>
    public static IReadOnlyList<WikiRanking> Top(DayView view, WikiFamily? family, int limit)
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
