using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// A day offline, then a catch-up: a backlog served as fast as the Ingest reads it, far more than the embedded Kafka
/// broker keeps (about 5 MiB per partition, dropping older messages silently), through the AppHost as users run it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CatchUpTests(ITestOutputHelper output)
{
    private const int BacklogEvents = 210_000;

    [Fact]
    public async Task A_backlog_larger_than_the_embedded_broker_holds_is_counted_exactly()
    {
        using var data = new TemporaryDirectory();
        var capture = EndToEndCapture.Write(Path.Combine(data.Path, "backlog.jsonl"), BacklogEvents);
        var expected = CounterOracle.CountFile(capture);
        Assert.True(expected.Days.Count >= 6, "the backlog spreads over several days");

        await using var app = await EndToEndApp.StartAsync(Path.Combine(data.Path, "embedded"), capture);
        var took = await app.WaitForExactCountersAsync(expected, TimeSpan.FromMinutes(5));

        output.WriteLine($"{BacklogEvents} events ({new FileInfo(capture).Length / 1_000_000} MB) over {expected.Days.Count} days exact {took.TotalSeconds:F1} s after the services were healthy");
    }
}
