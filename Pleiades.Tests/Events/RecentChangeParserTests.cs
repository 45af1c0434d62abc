using System.Text;
using Pleiades.Aggregator.Events;

namespace Pleiades.Tests.Events;

public class RecentChangeParserTests
{
    private static (RecentChangeParseStatus Status, RecentChange Change) Parse(string json)
    {
        var parser = new RecentChangeParser();
        var status = parser.Parse(Encoding.UTF8.GetBytes(json), out var change);
        return (status, change);
    }

    [Fact]
    public void Reads_the_first_enwiki_event_of_2023()
    {
        var line = RealSamples.Lines(RealSamples.Enwiki2023)[0];
        var parser = new RecentChangeParser();

        Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse(line, out var change));

        // "dt":"2023-07-29T07:51:39Z", length 91108 -> 91166, namespace 0, an anonymous editor.
        Assert.Equal(new DateTimeOffset(2023, 7, 29, 7, 51, 39, TimeSpan.Zero).ToUnixTimeMilliseconds(), change.EventUnixMs);
        Assert.Equal(19567, change.Day);
        Assert.Equal("enwiki", change.Wiki);
        Assert.Equal("edit", change.Type);
        Assert.False(change.Bot);
        Assert.False(change.Minor);
        Assert.True(change.HasLength);
        Assert.Equal(91108, change.LengthOld);
        Assert.Equal(91166, change.LengthNew);
        Assert.Equal(0, change.Namespace);
        Assert.Equal("EFL Championship", change.Title);
        Assert.Equal("87.12.215.232", change.User);
    }

    [Fact]
    public void Reads_the_2018_schema_with_meta_in_the_middle_and_an_offset_date()
    {
        var line = RealSamples.Lines(RealSamples.WikidataBatch2018)[0];
        var parser = new RecentChangeParser();

        Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse(line, out var change));

        // "dt": "2018-03-07T16:16:17+00:00", "timestamp": 1520439377, length 1007 -> 1438.
        Assert.Equal(1_520_439_377_000, change.EventUnixMs);
        Assert.Equal(17597, change.Day);
        Assert.Equal("wikidatawiki", change.Wiki);
        Assert.Equal("Q3855005", change.Title);
        Assert.Equal("MisterSynergy", change.User);
        Assert.Equal(1007, change.LengthOld);
        Assert.Equal(1438, change.LengthNew);
    }

    [Theory]
    [InlineData(RealSamples.Enwiki2023, 100)]
    [InlineData(RealSamples.WikidataBatch2018, 3818)]
    [InlineData(RealSamples.WikidataReverts2018, 1789)]
    [InlineData(RealSamples.WikidataNewItems2018, 82)]
    public void Every_real_event_parses(string sample, int events)
    {
        var parser = new RecentChangeParser();
        var lines = RealSamples.Lines(sample);

        Assert.Equal(events, lines.Count);
        Assert.All(lines, line => Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse(line, out _)));
    }

    [Fact]
    public void A_log_event_without_length_has_no_length()
    {
        var parser = new RecentChangeParser();
        var logEvent = RealSamples.Lines(RealSamples.WikidataBatch2018)
            .First(line => Encoding.UTF8.GetString(line).Contains("\"type\": \"log\"", StringComparison.Ordinal));

        Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse(logEvent, out var change));
        Assert.Equal("log", change.Type);
        Assert.False(change.HasLength);
    }

    [Fact]
    public void Missing_optional_fields_are_absent_and_unknown_fields_ignored()
    {
        var (status, change) = Parse("""{"meta":{"dt":"2024-01-01T00:00:00.250Z","extra":[1,{"a":null}]},"future":{"x":[true]},"bot":null}""");

        Assert.Equal(RecentChangeParseStatus.Counted, status);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, 250, TimeSpan.Zero).ToUnixTimeMilliseconds(), change.EventUnixMs);
        Assert.Null(change.Wiki);
        Assert.Null(change.Type);
        Assert.Null(change.Namespace);
        Assert.False(change.Bot);
        Assert.False(change.HasLength);
    }

    [Fact]
    public void Timestamp_stands_in_for_a_missing_or_unusable_meta_dt()
    {
        Assert.Equal(1_700_000_000_000, Parse("""{"timestamp":1700000000,"wiki":"dewiki"}""").Change.EventUnixMs);
        Assert.Equal(1_700_000_000_000, Parse("""{"meta":{"dt":"yesterday"},"timestamp":1700000000}""").Change.EventUnixMs);
        Assert.Equal(1_700_000_000_000, Parse("""{"meta":{"dt":12},"timestamp":1700000000}""").Change.EventUnixMs);
    }

    [Fact]
    public void Length_with_a_missing_side_reads_it_as_zero()
    {
        var (_, created) = Parse("""{"timestamp":1,"length":{"new":120}}""");
        Assert.True(created.HasLength);
        Assert.Equal(0, created.LengthOld);
        Assert.Equal(120, created.LengthNew);

        var (_, empty) = Parse("""{"timestamp":1,"length":{}}""");
        Assert.True(empty.HasLength);
        Assert.Equal(0, empty.LengthNew);

        Assert.False(Parse("""{"timestamp":1,"length":null}""").Change.HasLength);

        // A later length of the wrong type leaves no length at all, not the earlier one's.
        var (_, overwritten) = Parse("""{"timestamp":1,"length":{"old":3,"new":4},"length":"big"}""");
        Assert.False(overwritten.HasLength);
        Assert.Equal(0, overwritten.LengthNew);
    }

    [Theory]
    [InlineData("""{"meta":{"domain":"canary","dt":"2024-01-01T00:00:00Z"},"wiki":"enwiki"}""")]
    [InlineData("""{"wiki":"enwiki","timestamp":5,"meta":{"domain":"canary"}}""")]
    public void Canary_events_are_recognised_wherever_meta_is(string json) =>
        Assert.Equal(RecentChangeParseStatus.Canary, Parse(json).Status);

    [Theory]
    [InlineData("", RecentChangeParseStatus.InvalidJson)]
    [InlineData("not json", RecentChangeParseStatus.InvalidJson)]
    [InlineData("""{"meta":{"dt":"2024-01-01T00:00:00Z"}""", RecentChangeParseStatus.InvalidJson)]
    [InlineData("""{"timestamp":1} {"timestamp":2}""", RecentChangeParseStatus.InvalidJson)]
    [InlineData("""{"timestamp":1,}""", RecentChangeParseStatus.InvalidJson)]
    [InlineData("[1,2,3]", RecentChangeParseStatus.NotAnObject)]
    [InlineData("\"a string\"", RecentChangeParseStatus.NotAnObject)]
    [InlineData("42", RecentChangeParseStatus.NotAnObject)]
    [InlineData("null", RecentChangeParseStatus.NotAnObject)]
    [InlineData("[1,", RecentChangeParseStatus.InvalidJson)]
    [InlineData("""{"wiki":"enwiki"}""", RecentChangeParseStatus.NoTimestamp)]
    [InlineData("""{"meta":{"dt":"soon"},"timestamp":"1700000000"}""", RecentChangeParseStatus.NoTimestamp)]
    [InlineData("""{"timestamp":-5}""", RecentChangeParseStatus.NoTimestamp)]
    [InlineData("""{"timestamp":1e300}""", RecentChangeParseStatus.NoTimestamp)]
    [InlineData("""{"meta":{"dt":"1969-12-31T23:59:59Z"}}""", RecentChangeParseStatus.NoTimestamp)]
    [InlineData("""{"meta":"x","wiki":"enwiki"}""", RecentChangeParseStatus.NoTimestamp)]
    [InlineData("""{"timestamp":1,"title":"\ud800"}""", RecentChangeParseStatus.InvalidText)]
    [InlineData("""{"timestamp":1,"wiki":"\udc00x"}""", RecentChangeParseStatus.InvalidText)]
    public void Malformed_frames_are_classified_not_thrown(string json, RecentChangeParseStatus expected) =>
        Assert.Equal(expected, Parse(json).Status);

    /// <summary>
    /// CONTRACT.md section 2: an optional field of the wrong type is read as if it were absent, and the event still
    /// counts. The expected event is the same JSON with the named fields removed.
    /// </summary>
    [Theory]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","type":"edit","bot":"true"}""", RecentChangeFields.Bot, "bot")]
    [InlineData("""{"timestamp":1,"wiki":42,"type":"edit","bot":true}""", RecentChangeFields.Wiki, "wiki")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","type":[],"minor":true}""", RecentChangeFields.Type, "type")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","type":{"t":"edit"}}""", RecentChangeFields.Type, "type")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","minor":1,"bot":true}""", RecentChangeFields.Minor, "minor")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","length":5}""", RecentChangeFields.Length, "length")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","length":{"old":"5","new":9}}""", RecentChangeFields.LengthOld, "length.old")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","length":{"old":4,"new":1.5}}""", RecentChangeFields.LengthNew, "length.new")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","namespace":99999999999,"title":"A"}""", RecentChangeFields.Namespace, "namespace")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","namespace":"0","title":"A"}""", RecentChangeFields.Namespace, "namespace")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","meta":"x"}""", RecentChangeFields.Meta, "meta")]
    [InlineData("""{"timestamp":1,"wiki":"enwiki","title":7,"user":["U"]}""", RecentChangeFields.Title | RecentChangeFields.User, "title", "user")]
    [InlineData("""{"timestamp":1,"wiki":true,"type":1,"bot":0,"minor":"no","length":[]}""",
        RecentChangeFields.Wiki | RecentChangeFields.Type | RecentChangeFields.Bot | RecentChangeFields.Minor | RecentChangeFields.Length,
        "wiki", "type", "bot", "minor", "length")]
    public void A_wrongly_typed_optional_field_is_read_as_absent_and_named(string json, RecentChangeFields ignored, params string[] paths)
    {
        var parser = new RecentChangeParser();

        Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse(Encoding.UTF8.GetBytes(json), out var change));
        Assert.Equal(ignored, parser.IgnoredFields);
        var (status, withoutThem) = Parse(Without(json, paths));
        Assert.Equal(RecentChangeParseStatus.Counted, status);
        Assert.Equal(withoutThem, change);

        // The next frame starts with nothing ignored.
        Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse("""{"timestamp":1,"wiki":"enwiki","bot":true}"""u8, out _));
        Assert.Equal(RecentChangeFields.None, parser.IgnoredFields);
    }

    /// <summary><paramref name="json"/> without the (dotted) <paramref name="paths"/>.</summary>
    private static string Without(string json, string[] paths)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        foreach (var path in paths)
        {
            var names = path.Split('.');
            var owner = names[..^1].Aggregate(root, (node, name) => node[name]!.AsObject());
            owner.Remove(names[^1]);
        }

        return root.ToJsonString();
    }

    [Fact]
    public void Invalid_utf8_and_absurd_nesting_are_classified()
    {
        var parser = new RecentChangeParser();
        byte[] invalidUtf8 = [.. """{"timestamp":1,"wiki":"""u8, (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        Assert.NotEqual(RecentChangeParseStatus.Counted, parser.Parse(invalidUtf8, out _));

        var deep = "{\"timestamp\":1,\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.Equal(RecentChangeParseStatus.InvalidJson, parser.Parse(Encoding.UTF8.GetBytes(deep), out _));
    }

    [Fact]
    public void Huge_fields_are_rejected_or_skipped_without_harm()
    {
        var parser = new RecentChangeParser();
        var hugeTitle = "{\"timestamp\":1,\"title\":\"" + new string('x', 1_000_000) + "\"}";
        Assert.Equal(RecentChangeParseStatus.OversizedField, parser.Parse(Encoding.UTF8.GetBytes(hugeTitle), out _));
        Assert.Equal("title", parser.LastProblemField);

        var hugeWiki = "{\"timestamp\":1,\"wiki\":\"" + new string('w', RecentChangeParser.MaxNameBytes + 1) + "\"}";
        Assert.Equal(RecentChangeParseStatus.OversizedField, parser.Parse(Encoding.UTF8.GetBytes(hugeWiki), out _));

        // A huge field the counters do not read is just skipped.
        var hugeComment = "{\"timestamp\":1,\"wiki\":\"enwiki\",\"comment\":\"" + new string('c', 1_000_000) + "\"}";
        Assert.Equal(RecentChangeParseStatus.Counted, parser.Parse(Encoding.UTF8.GetBytes(hugeComment), out var change));
        Assert.Equal("enwiki", change.Wiki);
    }

    [Fact]
    public void Odd_unicode_in_names_and_titles_is_kept_exactly()
    {
        var (status, change) = Parse("""{"timestamp":1,"wiki":"zh_\u5927wiki\u200d","title":"Caf\u00e9 \ud83d\ude00 | x\u0000y","user":"\u202eevil"}""");

        Assert.Equal(RecentChangeParseStatus.Counted, status);
        Assert.Equal("zh_\u5927wiki\u200d", change.Wiki);
        Assert.Equal("Caf\u00e9 \U0001F600 | x\0y", change.Title);
        Assert.Equal("\u202eevil", change.User);
    }

    [Fact]
    public void Repeated_names_are_one_string_instance()
    {
        var parser = new RecentChangeParser();
        var lines = RealSamples.Lines(RealSamples.Enwiki2023);
        parser.Parse(lines[0], out var first);
        parser.Parse(lines[1], out var second);

        Assert.Same(first.Wiki, second.Wiki);
        Assert.Same(first.Type, second.Type);
    }
}
