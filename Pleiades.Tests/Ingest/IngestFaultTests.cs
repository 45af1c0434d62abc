using Microsoft.Extensions.DependencyInjection;
using Pleiades.Ingest.Telemetry;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public class IngestFaultTests
{
    private static async Task<(List<Pleiades.EventLog.FileLog.FileLogRecord> Records, string Metrics)> RunAsync(
        ReplayServer replay, int expected, Action<Dictionary<string, string?>>? configure = null)
    {
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        var settings = IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path);
        configure?.Invoke(settings);
        await using var ingest = await IngestHost.StartAsync(settings);
        var records = await FileLogAssertions.WaitForRecordsAsync(log.Path, expected, TimeSpan.FromSeconds(30));
        await ingest.WaitForPublishedAsync(expected, TimeSpan.FromSeconds(10));
        return (records, await ingest.ScrapeMetricsAsync());
    }

    [Theory]
    [InlineData(500, "http_5xx")]
    [InlineData(403, "http_403")]
    [InlineData(429, "http_429")]
    public async Task Error_responses_back_off_and_the_stream_is_read_once_they_stop(int status, string errorType)
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { FailStatus = status, FailCount = 2 });

        var (records, metrics) = await RunAsync(replay, 100);

        FileLogAssertions.HoldsExactly(records, replay.Capture, 100);
        Assert.Equal(2, MetricsText.Value(metrics, "pleiades_recv_errors_total", $"type=\"{errorType}\""));
        Assert.Equal(2, MetricsText.Value(metrics, "pleiades_ingest_reconnects_total", $"reason=\"{errorType}\""));
        Assert.Equal(100, MetricsText.Value(metrics, "pleiades_recv_events_total"));
        Assert.Equal(100, MetricsText.Value(metrics, "pleiades_file_publish_events_total"));
        Assert.Equal(100, MetricsText.Value(metrics, "pleiades_recv_event_lines_total", "type=\"data\""));
        Assert.Equal(1, MetricsText.Value(metrics, "pleiades_recv_event_lines_total", "type=\"comment\""));
        Assert.True(MetricsText.Value(metrics, "pleiades_file_publish_lag_milliseconds") > 0);
    }

    [Fact]
    public async Task A_generic_user_agent_is_refused_and_said_so()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        var settings = IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path);
        settings["Ingest:UserAgent"] = "python-requests/2.31";
        await using var ingest = await IngestHost.StartAsync(settings);

        await Eventually.WaitUntilAsync(() => replay.Statistics.Refused >= 3, TimeSpan.FromSeconds(30), "three refusals");

        var metrics = await ingest.ScrapeMetricsAsync();
        Assert.True(MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"http_403\"") >= 2);
        // Exported from the start, so a misspelt name would fail here rather than read as 0.
        Assert.Equal(0, MetricsText.Value(metrics, "pleiades_recv_events_total"));
        Assert.All(replay.Statistics.UserAgents, ua => Assert.Equal("python-requests/2.31", ua));
    }

    [Fact]
    public async Task The_user_agent_flag_is_the_User_Agent_of_every_request()
    {
        const string userAgent = "pleiades-test/2.0 (https://example.org/pleiades-test; ua-test@example.org)";
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { DropEvery = 40 });
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();

        await using var ingest = await IngestProcess.StartAsync(replay.StreamUrl, log.Path, state.Path, "--user-agent", userAgent);
        FileLogAssertions.HoldsExactly(await FileLogAssertions.WaitForRecordsAsync(log.Path, 100, TimeSpan.FromSeconds(30)), replay.Capture, 100);

        // The first request and the reconnects after each dropped connection.
        Assert.True(replay.Statistics.UserAgents.Count >= 3, $"{replay.Statistics.UserAgents.Count} requests");
        Assert.All(replay.Statistics.UserAgents, ua => Assert.Equal(userAgent, ua));
    }

    [Fact]
    public void The_default_user_agent_passes_the_policy()
    {
        Assert.Null(ReplayUserAgentPolicy.Check(new Pleiades.Ingest.IngestOptions().UserAgent));
    }

    [Fact]
    public async Task A_stalled_connection_is_abandoned_after_the_read_timeout_and_resumed()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions
        {
            StallAfter = 30,
            StallFor = TimeSpan.FromMinutes(5),
        });

        var (records, metrics) = await RunAsync(replay, 100, settings => settings["Ingest:ReadTimeout"] = "00:00:00.300");

        FileLogAssertions.HoldsExactly(records, replay.Capture, 100);
        Assert.True(MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"body_read_timeout\"") >= 3);
    }

    [Fact]
    public async Task Malformed_frames_and_canaries_are_relayed_untouched_and_counted()
    {
        using var captures = new TemporaryDirectory();
        var capture = Path.Combine(captures.Path, "odd.sse");
        await File.WriteAllTextAsync(capture, string.Join("\n",
            ":ok",
            "event: message",
            "id: [{\"topic\":\"x\",\"partition\":0,\"offset\":1}]",
            "data: not json at all",
            "",
            "data: {\"meta\":{\"id\":\"7c5a1f3e-0000-4000-8000-000000000001\",\"dt\":\"2024-01-01T00:00:00Z\",\"domain\":\"canary\"},\"type\":\"edit\"}",
            "",
            "data: [1,2,3]",
            "",
            ""), TestContext.Current.CancellationToken);
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Capture = capture });

        var (records, metrics) = await RunAsync(replay, 3);

        FileLogAssertions.HoldsExactly(records, replay.Capture, 3);
        Assert.Equal(2, MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"malformed_event\""));
    }

    [Fact]
    public async Task Since_backfills_from_the_given_time_when_there_is_nothing_to_resume()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());
        var since = replay.Capture.Events[50].TimeUnixMs;
        var first = Enumerable.Range(0, 100).First(i => replay.Capture.Events[i].TimeUnixMs >= since);

        var (records, _) = await RunAsync(replay, 100 - first, settings => settings["Ingest:Since"] = since.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(replay.Capture.DataOf(first), records[0].Data.ToArray());
        Assert.Equal(100 - first, records.Count);
    }

    [Fact]
    public async Task Progress_is_counted_for_the_progress_line()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        await using var ingest = await IngestHost.StartAsync(IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path));
        await FileLogAssertions.WaitForRecordsAsync(log.Path, 100, TimeSpan.FromSeconds(30));
        await ingest.WaitForPublishedAsync(100, TimeSpan.FromSeconds(10));

        var progress = ingest.Services.GetRequiredService<RelayProgress>();
        Assert.Equal(100, progress.Received);
        Assert.Equal(100, progress.Published);
        Assert.InRange(progress.LastEventUnixMs, replay.Capture.Events.Min(e => e.TimeUnixMs), replay.Capture.Events.Max(e => e.TimeUnixMs));
        var lastId = new System.Buffers.ArrayBufferWriter<byte>();
        ReplayStreamIds.Write(lastId, ReplayIdStyle.Offset, 99, replay.Capture.Events[99].TimeUnixMs);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(lastId.WrittenSpan), System.Text.Encoding.UTF8.GetString(progress.LastPublishedId.Span));
    }
}
