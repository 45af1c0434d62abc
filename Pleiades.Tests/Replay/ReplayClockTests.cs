using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pleiades.Replay;
using Pleiades.Sse;
using Pleiades.Tests.Events;
using Pleiades.Tests.Ingest;

namespace Pleiades.Tests.Replay;

/// <summary>The replay on the present clock: a capture played as if it were happening now, and looped.</summary>
[Trait("Category", "Integration")]
public class ReplayClockTests
{
    private static readonly string WikidataBatch = RealSamples.PathOf(RealSamples.WikidataBatch2018);

    private static JsonElement Json(SseFrame frame) => JsonDocument.Parse(frame.Data).RootElement;

    private static long MetaDtUnixMs(SseFrame frame) =>
        DateTimeOffset.Parse(Json(frame).GetProperty("meta").GetProperty("dt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static string MetaId(SseFrame frame) => Json(frame).GetProperty("meta").GetProperty("id").GetString()!;

    private static long IdTimestamp(SseFrame frame) =>
        JsonDocument.Parse(frame.Id).RootElement[0].GetProperty("timestamp").GetInt64();

    /// <summary>The event without its time fields, to show nothing else changed.</summary>
    private static string WithoutTimes(ReadOnlySpan<byte> data)
    {
        var node = JsonNode.Parse(data)!.AsObject();
        node["meta"]!.AsObject().Remove("dt");
        node.Remove("timestamp");
        return node.ToJsonString();
    }

    [Fact]
    public async Task On_the_present_clock_times_start_now_and_keep_their_spacing_order_and_everything_else()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Capture = WikidataBatch, Clock = ReplayClock.Now, IdStyle = ReplayIdStyle.Timestamp, CloseAtEnd = true });
        var events = replay.Capture.Events;
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var (_, _, frames) = await ReplayServerTests.GetAsync(replay);

        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(events.Count, frames.Count);
        // meta.dt has whole seconds: the first event is within a second of the request.
        Assert.InRange(MetaDtUnixMs(frames[0]), before - 1_000, after);
        Assert.InRange(IdTimestamp(frames[0]), before, after);
        for (var i = 0; i < frames.Count; i++)
        {
            var recordedGap = events[i].TimeUnixMs - events[0].TimeUnixMs;
            Assert.Equal(recordedGap, MetaDtUnixMs(frames[i]) - MetaDtUnixMs(frames[0]));
            Assert.Equal(recordedGap, IdTimestamp(frames[i]) - IdTimestamp(frames[0]));
            var json = Json(frames[i]);
            Assert.Equal(MetaDtUnixMs(frames[i]) / 1000, json.GetProperty("timestamp").GetInt64());
            Assert.Equal(WithoutTimes(events[i].Data.Span), WithoutTimes(frames[i].Data.Span));
        }

        // The captured layout stays: "+00:00", no fraction.
        Assert.EndsWith("+00:00", Json(frames[^1]).GetProperty("meta").GetProperty("dt").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_looped_capture_goes_on_past_its_end_one_period_later_with_fresh_meta_ids()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Clock = ReplayClock.Now, Loop = true, IdStyle = ReplayIdStyle.Timestamp, DropEvery = 250 });
        var count = replay.Capture.Events.Count;
        var period = replay.Timeline.PeriodMs;

        var (_, _, frames) = await ReplayServerTests.GetAsync(replay);

        Assert.Equal(250, frames.Count);
        Assert.Equal(250, frames.Select(MetaId).Distinct().Count());
        for (var i = count; i < frames.Count; i++)
        {
            Assert.Equal(period, IdTimestamp(frames[i]) - IdTimestamp(frames[i - count]));
            Assert.Equal(WithoutTimes(replay.Capture.Events[i % count].Data.Span), WithoutTimes(frames[i].Data.Span).Replace(MetaId(frames[i]), MetaId(frames[i % count]), StringComparison.Ordinal));
        }

        // The next copy starts after the last event of the one before.
        Assert.True(IdTimestamp(frames[count]) > frames.Take(count).Max(IdTimestamp));
    }

    [Fact]
    public async Task A_client_that_resumes_stays_on_the_servers_timeline()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Capture = WikidataBatch, Clock = ReplayClock.Now, DropEvery = 50 });
        var events = replay.Capture.Events;

        var first = await ReplayServerTests.GetAsync(replay);
        var resumed = await ReplayServerTests.GetAsync(replay, lastEventId: first.Frames[^1].IdText);

        Assert.Equal(WithoutTimes(events[50].Data.Span), WithoutTimes(resumed.Frames[0].Data.Span));
        Assert.Equal(events[50].TimeUnixMs - events[0].TimeUnixMs, MetaDtUnixMs(resumed.Frames[0]) - MetaDtUnixMs(first.Frames[0]));
    }

    [Fact]
    public async Task At_the_recorded_pace_with_a_rate_the_spacing_is_scaled_to_that_rate()
    {
        // The enwiki sample spans minutes; at 1,000 events/s its 100 events take about a tenth of a second.
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Clock = ReplayClock.Now, Pace = ReplayPace.Recorded, Rate = 1_000, IdStyle = ReplayIdStyle.Timestamp, CloseAtEnd = true });
        var events = replay.Capture.Events;
        var timeline = replay.Timeline;
        var scale = timeline.Scale(replay.Options);

        var (_, _, frames) = await ReplayServerTests.GetAsync(replay);

        Assert.Equal(100 * 1000.0 / 1_000 / timeline.PeriodMs, scale, 9);
        var origin = events.Min(e => e.TimeUnixMs);
        var start = IdTimestamp(frames[0]) - (long)((events[0].TimeUnixMs - origin) * scale);
        Assert.All(Enumerable.Range(0, frames.Count), i => Assert.Equal(start + (long)((events[i].TimeUnixMs - origin) * scale), IdTimestamp(frames[i])));
    }

    [Fact]
    public async Task On_the_recorded_clock_events_are_served_as_captured()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Capture = WikidataBatch, CloseAtEnd = true });

        var (_, _, frames) = await ReplayServerTests.GetAsync(replay);

        Assert.All(Enumerable.Range(0, frames.Count), i => Assert.True(replay.Capture.Events[i].Data.Span.SequenceEqual(frames[i].Data.Span)));
    }

    [Theory]
    [InlineData("2018-03-07T16:16:17+00:00", "2026-12-02T02:03:04+00:00")]
    [InlineData("2018-03-07T18:16:17+02:00", "2026-12-02T02:03:04+00:00")]
    [InlineData("2023-07-29T07:51:39Z", "2026-12-02T02:03:04Z")]
    [InlineData("2023-07-29T07:51:39.1Z", "2026-12-02T02:03:04.5Z")]
    [InlineData("2023-07-29T07:51:39.123456Z", "2026-12-02T02:03:04.567000Z")]
    public void A_shifted_time_keeps_the_layout_of_the_one_it_replaces(string recorded, string shifted)
    {
        var value = System.Text.Encoding.ASCII.GetBytes(recorded);
        Assert.True(ReplayTimeText.IsRewritableIso(value));

        ReplayTimeText.WriteIso(value, new DateTimeOffset(2026, 12, 2, 2, 3, 4, 567, TimeSpan.Zero).ToUnixTimeMilliseconds());

        Assert.Equal(shifted, System.Text.Encoding.ASCII.GetString(value));
    }
}
