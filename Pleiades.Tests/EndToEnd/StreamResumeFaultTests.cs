using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// A stream that stalls past the Ingest's read timeout, answers 429 for a while and resumes by timestamp ids, which
/// repeats events around every reconnect: the repeats are dropped, nothing is counted twice.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StreamResumeFaultTests(ITestOutputHelper output)
{
    private const int Events = 20_000;
    private const int StallAfter = 2_500;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Stalls_429s_and_events_repeated_around_reconnects_leave_the_counters_exact()
    {
        using var data = new TemporaryDirectory();
        // In time order, as the live stream is: a timestamp id resumes at the first event at or after its time, so
        // one later-dated edit early in the capture would send every resume back to it.
        var capture = EndToEndCapture.Write(Path.Combine(data.Path, "stream.jsonl"), Events, first: EndToEndCapture.OutOfOrderEdits);
        var expected = CounterOracle.CountFile(capture);

        await using var app = await EndToEndApp.StartAsync(Path.Combine(data.Path, "embedded"), capture, configure: builder =>
        {
            // Timestamp ids resume at the first event of the last one's millisecond: the events of that millisecond again.
            builder.CreateResourceBuilder<ProjectResource>("replay")
                .WithEnvironment("Replay__IdStyle", "Timestamp")
                .WithEnvironment("Replay__FailStatus", "429")
                .WithEnvironment("Replay__FailCount", "3")
                .WithEnvironment("Replay__StallAfter", StallAfter.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithEnvironment("Replay__StallFor", "00:00:03");
            builder.CreateResourceBuilder<ProjectResource>("ingest")
                .WithEnvironment("Ingest__ReadTimeout", "00:00:01")
                .WithEnvironment("Ingest__MinBackoff", "00:00:00.050");
        });
        var took = await app.WaitForExactCountersAsync(expected, Timeout);

        var metrics = await app.ScrapeAsync("ingest");
        Assert.Equal(3, MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"http_429\""));
        Assert.True(MetricsText.Value(metrics, "pleiades_recv_errors_total", "type=\"body_read_timeout\"") >= Events / StallAfter - 1, "every stall outlasted the read timeout");
        Assert.True(MetricsText.Value(metrics, "pleiades_ingest_duplicates_dropped_total") >= Events / StallAfter - 1, "events were repeated around the reconnects");
        output.WriteLine($"{Events} events stalling every {StallAfter}: exact {took.TotalSeconds:F1} s after start");
    }
}
