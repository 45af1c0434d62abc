using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Sse;

namespace Pleiades.Tests.Ingest;

public class IngestResumeTests
{
    private static string Sample => Path.Combine(SharedData.Samples, "enwiki-2023-07-29.ndjson");

    [Fact]
    public async Task Dropped_connections_and_a_restart_mid_stream_leave_every_event_in_the_log_once_in_order()
    {
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        const int total = 100 * 40;
        await using var replay = await ReplayServer.StartAsync(new ReplayOptions
        {
            Capture = Sample,
            Multiply = 40,
            DropEvery = 300,
            Rate = 4_000,
        }, TestContext.Current.CancellationToken);
        var settings = IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path);

        await using (var first = await IngestHost.StartAsync(settings))
        {
            await FileLogAssertions.WaitForRecordsAsync(log.Path, 1_000, TimeSpan.FromSeconds(30));
        }

        var beforeRestart = (await FileLogAssertions.WaitForRecordsAsync(log.Path, 1_000, TimeSpan.FromSeconds(5))).Count;
        Assert.True(beforeRestart < total, "the restart happened mid-stream");

        await using (var second = await IngestHost.StartAsync(settings))
        {
            var records = await FileLogAssertions.WaitForRecordsAsync(log.Path, total, TimeSpan.FromSeconds(60));
            FileLogAssertions.HoldsExactly(records, replay.Capture, total);
        }

        Assert.True(replay.Statistics.Dropped >= 5, $"the replay dropped {replay.Statistics.Dropped} connections");
        var resumed = replay.Statistics.LastEventIds.Where(id => id is not null).ToList();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, id => Assert.DoesNotContain("\"offset\":-1", id!, StringComparison.Ordinal));
    }
}
