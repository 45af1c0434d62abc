using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// The stream misbehaving as EventStreams does, through the whole application: refused requests, connections dropped
/// every few hundred events or reset, frames that are not events and a 2 MB junk line.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StreamFaultTests(ITestOutputHelper output)
{
    private const int Events = 30_000;
    private const int OddEvery = 1_000;
    private const int DropEvery = 300;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Drops_resets_500s_malformed_frames_and_a_junk_line_leave_the_counters_exact()
    {
        using var data = new TemporaryDirectory();
        var capture = EndToEndCapture.Write(Path.Combine(data.Path, "stream.jsonl"), Events, OddEvery);
        var expected = CounterOracle.CountFile(capture);

        await using var app = await EndToEndApp.StartAsync(Path.Combine(data.Path, "embedded"), capture, configure: builder =>
        {
            builder.CreateResourceBuilder<ProjectResource>("replay")
                .WithEnvironment("Replay__FailStatus", "500")
                .WithEnvironment("Replay__FailCount", "3")
                .WithEnvironment("Replay__DropEvery", DropEvery.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithEnvironment("Replay__DropAbruptly", "true");
            // A reconnect after a connection that delivered events waits the shortest backoff: keep it short.
            builder.CreateResourceBuilder<ProjectResource>("ingest")
                .WithEnvironment("Ingest__MinBackoff", "00:00:00.050");
        });
        var took = await app.WaitForExactCountersAsync(expected, Timeout);

        var metrics = await app.ScrapeAsync("ingest");
        Assert.Equal(3, MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"http_5xx\""));
        Assert.True(MetricsText.Value(metrics, "pleiades_ingest_reconnects_total") >= Events / DropEvery, "a reconnect per drop");
        Assert.True(MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"malformed_event\"") >= Events / OddEvery / 2, "the frames that are not events were seen");
        output.WriteLine($"{Events} events and {Events / OddEvery} odd lines with a drop every {DropEvery}: exact {took.TotalSeconds:F1} s after start");
    }
}
