using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>The AppHost stopped in the middle of a catch-up (Ctrl-C) and started again on the same data folder.</summary>
[Trait("Category", "Integration")]
public sealed class AppHostRestartTests(ITestOutputHelper output)
{
    private const int Events = 60_000;

    // The replay's pace: the backlog is served over 30 s, so a stop once a tenth of it is in the event log comes long
    // before the stream's end, however long the services take to start or to stop (at full speed the Ingest can read
    // all of it before the slower Aggregator has counted a tenth).
    private const int ReplayRate = 2_000;

    [Fact]
    public async Task The_AppHost_stopped_mid_catch_up_and_started_again_counts_every_event_once()
    {
        using var data = new TemporaryDirectory();
        var capture = EndToEndCapture.Write(Path.Combine(data.Path, "backlog.jsonl"), Events);
        var expected = CounterOracle.CountFile(capture);
        var embedded = Path.Combine(data.Path, "embedded");

        double loggedBeforeStop;
        await using (var first = await EndToEndApp.StartAsync(embedded, capture, ReplayRate))
        {
            loggedBeforeStop = await first.WaitForMetricAsync("ingest", "pleiades_file_publish_events_total", Events / 10, TimeSpan.FromMinutes(3));
        }

        await using var second = await EndToEndApp.StartAsync(embedded, capture, ReplayRate);
        var took = await second.WaitForExactCountersAsync(expected, TimeSpan.FromMinutes(4));

        // The stop came before the stream's end: the restarted Ingest still had events to read.
        var resumed = MetricsText.Value(await second.ScrapeAsync("ingest"), "pleiades_recv_events_total");
        Assert.InRange(resumed, 1, Events - loggedBeforeStop);
        output.WriteLine($"{Events} events: {loggedBeforeStop} in the event log when the stop began, {resumed} read after the restart; exact {took.TotalSeconds:F1} s after the restarted services were healthy");
    }
}
