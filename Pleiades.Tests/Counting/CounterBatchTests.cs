using System.Text;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Events;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Counting;

public class CounterBatchTests
{
    public static TheoryData<string, long, Dictionary<string, long>> Samples => new()
    {
        // Hand-checked from the files (an independent script over the same lines, rules of CONTRACT.md section 2).
        {
            RealSamples.Enwiki2023, 19567, new()
            {
                ["pleiades_total"] = 100, ["pleiades_wiki_enwiki"] = 100, ["pleiades_type_edit"] = 100,
                ["pleiades_bot"] = 2, ["pleiades_minor"] = 7, ["pleiades_length_inc"] = 70,
                ["pleiades_length_dec"] = 24, ["pleiades_growth"] = 4634,
            }
        },
        {
            RealSamples.WikidataBatch2018, 17597, new()
            {
                ["pleiades_total"] = 3818, ["pleiades_wiki_wikidatawiki"] = 3818, ["pleiades_type_edit"] = 3754,
                ["pleiades_type_new"] = 42, ["pleiades_type_log"] = 22, ["pleiades_bot"] = 2932, ["pleiades_minor"] = 3,
                ["pleiades_length_inc"] = 3735, ["pleiades_length_dec"] = 58, ["pleiades_growth"] = 674279,
            }
        },
        {
            RealSamples.WikidataReverts2018, 17597, new()
            {
                ["pleiades_total"] = 1789, ["pleiades_wiki_wikidatawiki"] = 1789, ["pleiades_type_edit"] = 1763,
                ["pleiades_type_new"] = 21, ["pleiades_type_log"] = 5, ["pleiades_bot"] = 1566, ["pleiades_minor"] = 4,
                ["pleiades_length_inc"] = 1758, ["pleiades_length_dec"] = 19, ["pleiades_growth"] = 240973,
            }
        },
        {
            RealSamples.WikidataNewItems2018, 17605, new()
            {
                ["pleiades_total"] = 82, ["pleiades_wiki_wikidatawiki"] = 82, ["pleiades_type_edit"] = 73,
                ["pleiades_type_new"] = 9, ["pleiades_bot"] = 82, ["pleiades_length_inc"] = 82, ["pleiades_growth"] = 22244,
            }
        },
    };

    internal static CounterBatch Count(IEnumerable<byte[]> lines) => CountInto(new CounterBatch(), lines);

    private static CounterBatch CountInto(CounterBatch batch, IEnumerable<byte[]> lines)
    {
        var parser = new RecentChangeParser();
        foreach (var line in lines)
        {
            if (parser.Parse(line, out var change) == RecentChangeParseStatus.Counted)
            {
                batch.Add(change);
            }
        }

        return batch;
    }

    private static Dictionary<string, long> CountersOf(DayDelta day) => day.Counters().ToDictionary(c => c.Key, c => c.Value);

    /// <summary>Every aggregate of <paramref name="day"/> as sorted text lines, to compare two deltas whole.</summary>
    private static List<string> Everything(DayDelta day)
    {
        IEnumerable<string> Lines<TKey>(string name, IEnumerable<KeyValuePair<TKey, long>> counts) =>
            counts.Select(c => $"{name} {c.Key} {c.Value}");

        List<string> lines =
        [
            $"day {day.Day}",
            .. Lines("counter", day.Counters()),
            .. Lines("namespace", day.Namespaces),
            .. day.Hours.Select((count, hour) => $"hour {hour} {count}"),
            .. Lines("wiki-hour", day.WikiHours),
            .. Lines("minute", day.Minutes),
            .. Lines("wiki-minute", day.WikiMinutes),
            .. Lines("page", day.Pages),
            .. Lines("human", day.HumanEditors),
            .. Lines("bot", day.BotEditors),
            .. day.Editors.Select(e => $"editor {e}"),
            .. Lines("bots", day.BotsByWiki),
        ];
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Real_samples_count_as_computed_by_hand(string sample, long day, Dictionary<string, long> expected)
    {
        var batch = Count(RealSamples.Lines(sample));

        var only = Assert.Single(batch.Days);
        Assert.Equal(day, only.Day);
        Assert.Equal(expected, CountersOf(only));
        Assert.Equal(expected, batch.AllTimeCounters());
    }

    [Fact]
    public void A_cleared_batch_counts_the_next_one_as_a_fresh_batch_would()
    {
        // The reused batch first holds another day of another wiki, so anything Clear left behind would show.
        var reused = CountInto(new CounterBatch(), RealSamples.Lines(RealSamples.WikidataBatch2018));
        reused.Clear();
        CountInto(reused, RealSamples.Lines(RealSamples.Enwiki2023));
        var fresh = Count(RealSamples.Lines(RealSamples.Enwiki2023));

        Assert.Equal(fresh.CountedEvents, reused.CountedEvents);
        Assert.Equal(fresh.NewestEventUnixMs, reused.NewestEventUnixMs);
        Assert.Equal(Everything(Assert.Single(fresh.Days)), Everything(Assert.Single(reused.Days)));
    }

    [Fact]
    public void Equal_length_counts_as_neither_increase_nor_decrease()
    {
        var batch = Count(Lines(
            """{"timestamp":100,"length":{"old":10,"new":10}}""",
            """{"timestamp":100,"length":{"old":10,"new":12}}""",
            """{"timestamp":100,"length":{"old":10,"new":7}}""",
            """{"timestamp":100,"length":{"new":5}}""",
            """{"timestamp":100,"length":{"old":5}}""",
            """{"timestamp":100,"length":{}}"""));

        var counters = CountersOf(Assert.Single(batch.Days));
        Assert.Equal(2, counters["pleiades_length_inc"]);
        Assert.Equal(2, counters["pleiades_length_dec"]);
        Assert.Equal(2 - 3 + 5 - 5, counters.GetValueOrDefault("pleiades_growth"));
        Assert.Equal(6, counters["pleiades_total"]);
    }

    [Fact]
    public void Canary_and_malformed_frames_change_no_counter()
    {
        var good = RealSamples.Lines(RealSamples.Enwiki2023);
        var hostile = Lines(
            """{"meta":{"domain":"canary","dt":"2023-07-29T08:00:00Z"},"wiki":"enwiki","type":"edit","length":{"old":1,"new":9}}""",
            "not json",
            """{"wiki":"enwiki"}""",
            """{"wiki":"enwiki","bot":"true","meta":"2023-07-29T08:00:00Z"}""",
            "[]");
        var mixed = good.Take(50).Concat(hostile).Concat(good.Skip(50));

        Assert.Equal(CountersOf(Count(good).Days.Single()), CountersOf(Count(mixed).Days.Single()));
    }

    [Fact]
    public void Wrongly_typed_fields_are_ignored_and_their_events_count_by_every_other_rule()
    {
        var batch = Count(Lines(
            """{"timestamp":1690617099,"wiki":"enwiki","type":"edit","bot":"true","minor":1,"length":5}""",
            """{"timestamp":1690617099,"wiki":42,"type":[],"bot":true,"length":{"old":"7","new":10}}""",
            """{"timestamp":1690617099,"wiki":"dewiki","type":"new","minor":true,"length":{"old":12,"new":2.5}}"""));

        // Computed by hand: a wrong field reads as absent (a missing length side is 0).
        Dictionary<string, long> expected = new()
        {
            ["pleiades_total"] = 3, ["pleiades_wiki_enwiki"] = 1, ["pleiades_wiki_dewiki"] = 1, ["pleiades_type_edit"] = 1,
            ["pleiades_type_new"] = 1, ["pleiades_bot"] = 1, ["pleiades_minor"] = 1, ["pleiades_length_inc"] = 1,
            ["pleiades_length_dec"] = 1, ["pleiades_growth"] = 10 - 12,
        };
        Assert.Equal(expected, CountersOf(Assert.Single(batch.Days)));
    }

    [Fact]
    public void Events_fall_in_the_day_hour_and_minute_of_their_time()
    {
        var batch = Count(Lines(
            """{"meta":{"dt":"2024-03-01T23:59:59.999Z"},"wiki":"dewiki","namespace":0,"title":"A","user":"U","bot":true}""",
            """{"meta":{"dt":"2024-03-02T00:00:00Z"},"wiki":"dewiki","namespace":1,"title":"A","user":"V"}""",
            """{"meta":{"dt":"2024-03-02T13:07:30+02:00"},"wiki":"dewiki","namespace":1,"title":"A","user":"V"}"""));

        var first = batch.Days.Single(d => d.Day == 19783);
        Assert.Equal(1, first.Hours[23]);
        Assert.Equal(1, first.Minutes[1439]);
        Assert.Equal(1, first.BotsByWiki["dewiki"]);
        Assert.Equal(1, first.BotEditors[("dewiki", "U")]);

        var second = batch.Days.Single(d => d.Day == 19784);
        Assert.Equal(2, second.Total);
        Assert.Equal(1, second.Hours[0]);
        Assert.Equal(1, second.Hours[11]);
        Assert.Equal(1, second.WikiMinutes[((11 * 60) + 7, "dewiki")]);
        Assert.Equal(2, second.Namespaces[("dewiki", 1)]);
        Assert.Equal(2, second.Pages[("dewiki", "A")]);
        Assert.Equal(2, second.HumanEditors[("dewiki", "V")]);
        Assert.Equal(["V"], second.Editors);
        Assert.Empty(second.BotsByWiki);

        Assert.Equal(3, batch.AllTimeCounters()["pleiades_wiki_dewiki"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 2, 11, 7, 30, TimeSpan.Zero).ToUnixTimeMilliseconds(), batch.NewestEventUnixMs);
    }

    private static IEnumerable<byte[]> Lines(params string[] json) => json.Select(Encoding.UTF8.GetBytes);
}
