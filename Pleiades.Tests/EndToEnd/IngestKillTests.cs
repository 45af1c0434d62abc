using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>The Ingest's process killed (SIGKILL) mid-stream and started again by the AppHost.</summary>
[Trait("Category", "Integration")]
public sealed class IngestKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_Ingest_killed_and_restarted_mid_stream_loses_and_repeats_nothing()
    {
        using var stream = new MidStream();
        await using var app = await stream.StartAppAsync();

        double readBeforeKill = 0;
        await Eventually.WaitUntilAsync(
            async () => (readBeforeKill = MetricsText.Value(await app.ScrapeAsync("ingest"), "pleiades_recv_events_total")) >= MidStream.FaultAt,
            MidStream.Timeout, $"{MidStream.FaultAt} events read by the Ingest");
        var ingest = await app.KillAsync("ingest");
        await app.StartResourceAsync(ingest);
        var took = await app.WaitForExactCountersAsync(stream.Expected, MidStream.Timeout);

        // The new process read the rest of the stream itself: the kill came in the middle.
        var readAfterRestart = MetricsText.Value(await app.ScrapeAsync("ingest"), "pleiades_recv_events_total");
        Assert.InRange(readAfterRestart, 1, MidStream.Events - readBeforeKill);
        output.WriteLine($"{MidStream.Events} events: Ingest killed after reading {readBeforeKill}, {readAfterRestart} read after the restart; exact {took.TotalSeconds:F1} s after start");
    }
}
