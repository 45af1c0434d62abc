using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Pleiades.Replay;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Ingest;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Services;

/// <summary>
/// What a service prints when nothing happens or something is down: a line when it changes, not a line per attempt.
/// Each test watches a real process for a few seconds with fast retries and counts its lines.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class CalmLogTests(GarnetServer redis) : IClassFixture<GarnetServer>, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How long the quiet state is watched: many retries and progress ticks at the settings below.</summary>
    private static readonly TimeSpan Watched = TimeSpan.FromSeconds(6);

    private readonly string _root = Directory.CreateTempSubdirectory("pleiades-calm-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_finished_stream_is_one_line_then_no_warnings_and_no_idle_progress_lines()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { CloseAtEnd = true });
        var lines = new ConcurrentQueue<string>();
        await using var ingest = await ServiceProcess.StartAsync(
            "Pleiades.Ingest",
            ["--file.enable", "--file.publishDir", Path.Combine(_root, "events"), "--stream.url", replay.StreamUrl.ToString()],
            StartTimeout,
            Options(lines, new Dictionary<string, string?>
            {
                // A reconnect every 10-200 ms and a progress tick every second: the old log printed a line for each.
                ["Ingest__MinBackoff"] = "00:00:00.010",
                ["Ingest__MaxBackoff"] = "00:00:00.200",
                ["Ingest__ProgressInterval"] = "00:00:01",
                ["Ingest__StateDirectory"] = Path.Combine(_root, "state"),
            }));

        await Eventually.WaitUntilAsync(() => lines.Any(l => l.Contains("Relayed 100 events", StringComparison.Ordinal)), StartTimeout, "the capture relayed");
        var linesWhenRelayed = lines.Count;
        await Task.Delay(Watched, TestContext.Current.CancellationToken);
        Assert.True(replay.Statistics.Requests > 3, "the Ingest kept reconnecting to the finished stream");
        await ingest.TerminateAsync(StartTimeout);

        var all = lines.ToList();
        var afterwards = all.Skip(linesWhenRelayed).ToList();
        Assert.DoesNotContain(all, l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
        Assert.Single(all, l => l.Contains("The stream ended after 100 events", StringComparison.Ordinal));
        Assert.True(all.Count(l => l.Contains("The stream has no new events", StringComparison.Ordinal)) <= 1, string.Join('\n', all));
        Assert.DoesNotContain(afterwards, l => l.Contains("Relayed ", StringComparison.Ordinal));
        // The first connection and the one after the stream ended; the rest are at Debug.
        Assert.True(all.Count(l => l.Contains("Connecting to ", StringComparison.Ordinal)) <= 2, string.Join('\n', all));
        foreach (Match lag in LagSeconds().Matches(string.Join('\n', all)))
        {
            Assert.True(double.Parse(lag.Groups[1].Value, CultureInfo.InvariantCulture) < 86_400, lag.Value);
        }
    }

    [Fact]
    public async Task An_aggregator_without_a_broker_warns_once_and_writes_nothing_raw()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var lines = new ConcurrentQueue<string>();
        await using var aggregator = await ServiceProcess.StartAsync(
            "Pleiades.Aggregator",
            ["--kafka.broker", $"127.0.0.1:{port}", "--redis-addr", redis.Address],
            StartTimeout,
            // librdkafka retries a refused connection every 100 ms or so: dozens of attempts in the watched time.
            Options(lines));

        await Eventually.WaitUntilAsync(() => lines.Any(l => l.Contains("is unreachable", StringComparison.Ordinal)), StartTimeout, "the unreachable broker reported");
        await Task.Delay(Watched, TestContext.Current.CancellationToken);
        await aggregator.TerminateAsync(StartTimeout);

        var all = lines.ToList();
        var report = string.Join('\n', all);
        Assert.Single(all, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.DoesNotContain(all, l => l.StartsWith("fail:", StringComparison.Ordinal));
        // librdkafka's own format on stderr ("%3|1796177271.967|FAIL|rdkafka#producer-6| ...").
        Assert.DoesNotContain(all, l => l.StartsWith('%'));
        Assert.True(all.Count < 60, report);
    }

    private static ChildProcessOptions Options(ConcurrentQueue<string> lines, Dictionary<string, string?>? environment = null)
    {
        var output = TestOutput.OfCurrentTest();
        return new ChildProcessOptions
        {
            Environment = environment ?? [],
            OnLine = line =>
            {
                lines.Enqueue(line);
                output(line);
            },
        };
    }

    [GeneratedRegex(@"lag ([0-9.]+) s")]
    private static partial Regex LagSeconds();
}
