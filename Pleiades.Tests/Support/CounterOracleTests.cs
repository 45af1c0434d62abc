using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Support;

/// <summary>The oracle other tests trust: pinned to hand-checked totals and to one event per rule.</summary>
public class CounterOracleTests
{
    [Theory]
    [MemberData(nameof(CounterBatchTests.Samples), MemberType = typeof(CounterBatchTests))]
    public void Real_samples_count_as_computed_by_hand(string sample, long day, Dictionary<string, long> expected)
    {
        var counted = CounterOracle.CountFile(RealSamples.PathOf(sample));

        Assert.Equal([day], counted.Days.Keys);
        Assert.Equal(expected, counted.Days[day]);
        Assert.Equal(expected, counted.AllTime);
    }

    [Fact]
    public void Each_rule_of_the_contract_counts_what_it_says()
    {
        string[] events =
        [
            """{"meta":{"id":"a","dt":"2024-01-02T23:59:59Z"},"wiki":"enwiki","type":"edit","bot":true,"minor":false,"length":{"old":10,"new":25}}""",
            """{"meta":{"id":"b","dt":"2024-01-03T00:00:00+00:00"},"wiki":"dewiki","type":"log","minor":true,"length":{"old":30,"new":5}}""",
            """{"meta":{"id":"c"},"timestamp":1704240000,"wiki":"dewiki","length":{"new":7}}""",
            """{"meta":{"id":"d","dt":"2024-01-03T10:00:00Z"},"length":{"old":4,"new":4}}""",
            // Wrong types are ignored field by field; the event still counts.
            """{"meta":{"id":"e","dt":"2024-01-03T11:00:00Z"},"wiki":42,"type":[],"bot":"true","minor":1,"length":5}""",
            """{"meta":{"id":"b","dt":"2024-01-03T00:00:00Z"},"wiki":"dewiki"}""",
            """{"meta":{"id":"f","dt":"2024-01-03T12:00:00Z","domain":"canary"},"wiki":"enwiki"}""",
            """{"meta":{"id":"g"},"wiki":"enwiki"}""",
            """[1,2]""",
            """{not json""",
        ];

        var counted = CounterOracle.Count(events);

        var day1 = new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() / 86_400;
        Assert.Equal(new Dictionary<string, long>
        {
            ["pleiades_total"] = 1, ["pleiades_wiki_enwiki"] = 1, ["pleiades_type_edit"] = 1, ["pleiades_bot"] = 1,
            ["pleiades_length_inc"] = 1, ["pleiades_growth"] = 15,
        }, counted.Days[day1]);
        Assert.Equal(new Dictionary<string, long>
        {
            ["pleiades_total"] = 4, ["pleiades_wiki_dewiki"] = 2, ["pleiades_type_log"] = 1, ["pleiades_minor"] = 1,
            ["pleiades_length_inc"] = 1, ["pleiades_length_dec"] = 1, ["pleiades_growth"] = -18,
        }, counted.Days[day1 + 1]);
        Assert.Equal(2, counted.Days.Count);
        Assert.Equal(5, counted.AllTime["pleiades_total"]);
        Assert.Equal(-3, counted.AllTime["pleiades_growth"]);
        Assert.Equal((3, 1, 1), (counted.Skipped, counted.Canaries, counted.Repeated));
        Assert.Equal(4, counted.TotalOn(day1 + 1));
        Assert.Equal(0, counted.TotalOn(day1 + 2));
    }
}
