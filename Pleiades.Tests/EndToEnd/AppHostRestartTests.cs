using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>The AppHost stopped in the middle of a catch-up (Ctrl-C) and started again on the same data folder.</summary>
[Trait("Category", "Integration")]
public sealed class AppHostRestartTests(ITestOutputHelper output)
{
    private const int Events = 100_000;

    // The replay's pace: a backlog served over ~5 s, so the stop at a tenth counted comes while the Ingest still has
    // events to read (at full speed it can read all of them before the slower Aggregator has counted a tenth).
    private const int ReplayRate = 20_000;

    [Fact]
    public async Task The_AppHost_stopped_mid_catch_up_and_started_again_counts_every_event_once()
    {
        using var data = new TemporaryDirectory();
        var capture = EndToEndCapture.Write(Path.Combine(data.Path, "backlog.jsonl"), Events);
        var expected = CounterOracle.CountFile(capture);
        var embedded = Path.Combine(data.Path, "embedded");

        long countedBeforeStop;
        await using (var first = await EndToEndApp.StartAsync(embedded, capture, ReplayRate))
        {
            countedBeforeStop = await first.WaitForCountedAsync(Events / 10, TimeSpan.FromMinutes(3));
        }

        await using var second = await EndToEndApp.StartAsync(embedded, capture, ReplayRate);
        var took = await second.WaitForExactCountersAsync(expected, TimeSpan.FromMinutes(4));

        // The stop came before the stream's end: the restarted Ingest still had events to read.
        var resumed = MetricsText.Value(await second.ScrapeAsync("ingest"), "pleiades_recv_events_total");
        Assert.InRange(resumed, 1, Events - countedBeforeStop);
        output.WriteLine($"{Events} events: {countedBeforeStop} counted when the stop began, {resumed} read after the restart; exact {took.TotalSeconds:F1} s after the restarted services were healthy");
    }
}
