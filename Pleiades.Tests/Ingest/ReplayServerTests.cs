using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Pleiades.Replay;
using Pleiades.Sse;
using Pleiades.Tests.Sse;

namespace Pleiades.Tests.Ingest;

[Trait("Category", "Integration")]
public class ReplayServerTests
{
    private const string UserAgent = "pleiades-tests/1.0 (tests@example.org)";

    /// <summary>Reads a replay response (it must close at the end: --close-at-end or --drop-every) and parses it.</summary>
    internal static async Task<(HttpStatusCode Status, string Body, List<SseFrame> Frames)> GetAsync(ReplayServer replay, string query = "", string? lastEventId = null, string? userAgent = UserAgent)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, replay.StreamUrl + query);
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var sequence = new ReadOnlySequence<byte>(bytes);
        var parser = new SseParser();
        var frames = new List<SseFrame>();
        while (parser.TryReadFrame(ref sequence, out var frame))
        {
            frames.Add(frame);
        }

        return (response.StatusCode, Encoding.UTF8.GetString(bytes), frames);
    }

    private static string MetaId(SseFrame frame)
    {
        using var json = JsonDocument.Parse(frame.Data);
        return json.RootElement.GetProperty("meta").GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task It_serves_every_captured_event_after_ok_with_eventstreams_ids()
    {
        await using var replay = await ReplayServer.StartAsync(new ReplayOptions { Capture = string.Join(',', RepositoryData.CaptureFiles()), CloseAtEnd = true }, TestContext.Current.CancellationToken);

        var (status, body, frames) = await GetAsync(replay);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith(":ok\n", body, StringComparison.Ordinal);
        Assert.Equal(4, frames.Count);
        Assert.Equal("""[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":3},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]""", frames[3].IdText);
    }

    [Fact]
    public async Task Last_event_id_and_since_choose_where_a_request_starts()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { CloseAtEnd = true });
        var since = replay.Capture.Events[60].TimeUnixMs;
        var firstSince = Enumerable.Range(0, 100).First(i => replay.Capture.Events[i].TimeUnixMs >= since);

        var afterOffset = await GetAsync(replay, lastEventId: """[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":89}]""");
        var fromSince = await GetAsync(replay, query: "?since=" + Uri.EscapeDataString(DateTimeOffset.FromUnixTimeMilliseconds(since).ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        var positionsWin = await GetAsync(replay, query: "?since=" + since, lastEventId: """[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":97}]""");

        Assert.Equal(10, afterOffset.Frames.Count);
        Assert.Equal(replay.Capture.DataOf(90), afterOffset.Frames[0].Data.ToArray());
        Assert.Equal(100 - firstSince, fromSince.Frames.Count);
        Assert.Equal(2, positionsWin.Frames.Count);
    }

    [Fact]
    public async Task Copies_carry_fresh_meta_ids()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = 3, CloseAtEnd = true });

        var (_, _, frames) = await GetAsync(replay);

        Assert.Equal(300, frames.Count);
        Assert.Equal(300, frames.Select(MetaId).Distinct().Count());
        Assert.All(frames, f => Assert.Equal(36, MetaId(f).Length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("curl/8.5.0")]
    [InlineData("MyBot/1.0")]
    public async Task Requests_without_a_descriptive_user_agent_get_403(string? userAgent)
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions());

        var (status, body, _) = await GetAsync(replay, userAgent: userAgent);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("User-Agent", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Its_help_lists_every_flag_and_exits_zero()
    {
        var output = new StringWriter();
        var commandLine = ReplayCommandLine.Create();

        var result = commandLine.Parse(["--help"], output, new StringWriter());

        Assert.Equal(0, result.ExitCode);
        Assert.All(commandLine.Flags, flag => Assert.Contains("--" + flag.Name, output.ToString(), StringComparison.Ordinal));
    }
}
