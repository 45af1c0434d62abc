using Pleiades.Counters;
using Pleiades.Web.Data;
using Pleiades.Web.Wikis;

namespace Pleiades.Tests.Performance;

/// <summary>
/// The wiki ranking and the overview are made once per snapshot and shared between requests; sharing must not
/// change what each request gets, whatever family and limit it asks for, and a new snapshot gets new results.
/// </summary>
public sealed class SnapshotDerivedResultsTests
{
    private static DayView View(params (string Name, long Value)[] counters) => new(
        20_695,
        counters.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal),
        [], [], [], [], [], 0,
        new Dictionary<string, long>(StringComparer.Ordinal) { ["dewiki"] = 2 },
        AggregatorStatus.Unknown,
        []);

    private static readonly DayView Day = View(
        (CounterNames.Total, 100),
        (CounterNames.Wiki("enwiki"), 50),
        (CounterNames.Wiki("dewiki"), 20),
        (CounterNames.Wiki("frwiktionary"), 20),
        (CounterNames.Wiki("commonswiki"), 7),
        (CounterNames.Wiki("dewiktionary"), 3),
        (CounterNames.Type("edit"), 90),
        (CounterNames.Type("new"), 10));

    /// <summary>The ranking as it was computed per request before it was shared.</summary>
    private static List<string> Expected(DayView view, WikiFamily? family, int limit) =>
        view.EventsPerWiki()
            .Select(w => (Name: WikiName.Parse(w.Key), Events: w.Value))
            .Where(w => family is null || w.Name.Family == family)
            .OrderByDescending(w => w.Events)
            .ThenBy(w => w.Name.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(w => w.Name.Id)
            .ToList();

    public static TheoryData<WikiFamily?, int> Requests => new()
    {
        { null, 1000 }, { null, 2 }, { WikiFamily.Wikipedia, 15 }, { WikiFamily.Wiktionary, 1 },
        { WikiFamily.Special, 8 }, { WikiFamily.Wikibooks, 5 }, { null, 1 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Every_family_and_limit_gets_the_ranking_it_would_get_alone(WikiFamily? family, int limit)
    {
        // Rank the whole day first, so that the shared ranking exists before this request's own.
        WikisByEvents.Top(Day, null, 1000);

        var ranking = WikisByEvents.Top(Day, family, limit);

        Assert.Equal(Expected(Day, family, limit), ranking.Select(w => w.Wiki).ToList());
    }

    [Fact]
    public void Rankings_carry_names_events_and_bot_events()
    {
        var dewiki = Assert.Single(WikisByEvents.Top(Day, WikiFamily.Wikipedia, 15), w => w.Wiki == "dewiki");

        Assert.Equal(new WikiRanking("dewiki", "Wikipedia", "German", 20, 2), dewiki);
    }

    [Fact]
    public void A_new_snapshot_gets_its_own_ranking_and_overview()
    {
        var before = View((CounterNames.Wiki("enwiki"), 5), (CounterNames.Wiki("dewiki"), 1), (CounterNames.Type("edit"), 6));
        var after = View((CounterNames.Wiki("enwiki"), 5), (CounterNames.Wiki("dewiki"), 9), (CounterNames.Type("edit"), 14));

        Assert.Equal("enwiki", WikisByEvents.Top(before, null, 1)[0].Wiki);
        Assert.Equal("dewiki", WikisByEvents.Top(after, null, 1)[0].Wiki);
        Assert.Equal(6, DayOverview.From(before).EventsPerType["edit"]);
        Assert.Equal(14, DayOverview.From(after).EventsPerType["edit"]);
    }

    [Fact]
    public void The_overview_is_made_once_per_snapshot()
    {
        var overview = DayOverview.From(Day);

        Assert.Same(overview, DayOverview.From(Day));
        Assert.Equal(100, overview.Events);
        Assert.Equal(["edit", "new"], overview.EventsPerType.Keys);
    }
}
