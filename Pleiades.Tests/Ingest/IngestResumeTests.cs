using Microsoft.Extensions.DependencyInjection;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;

namespace Pleiades.Tests.Ingest;

[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public class IngestResumeTests
{
    private const int Copies = 40;
    private const int Total = 100 * Copies;

    /// <summary>The 100-event sample served <see cref="Copies"/> times over, with the given faults and rate.</summary>
    private static Task<ReplayServer> StartReplayAsync(ReplayOptions options)
    {
        options.Multiply = Copies;
        return SampleReplay.StartAsync(options);
    }

    [Fact]
    public async Task Dropped_connections_and_a_restart_mid_stream_leave_every_event_in_the_log_once_in_order()
    {
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        await using var replay = await StartReplayAsync(new ReplayOptions { DropEvery = 300, DropAbruptly = true, Rate = 4_000 });
        var settings = IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path);

        await using (var first = await IngestHost.StartAsync(settings))
        {
            await FileLogAssertions.WaitForRecordsAsync(log.Path, 1_000, TimeSpan.FromSeconds(30));
        }

        var beforeRestart = (await FileLogAssertions.WaitForRecordsAsync(log.Path, 1_000, TimeSpan.FromSeconds(5))).Count;
        Assert.True(beforeRestart < Total, "the restart happened mid-stream");

        await using (var second = await IngestHost.StartAsync(settings))
        {
            var records = await FileLogAssertions.WaitForRecordsAsync(log.Path, Total, TimeSpan.FromSeconds(60));
            FileLogAssertions.HoldsExactly(records, replay.Capture, Total);
        }

        Assert.True(replay.Statistics.Dropped >= 5, $"the replay dropped {replay.Statistics.Dropped} connections");
        var resumed = replay.Statistics.LastEventIds.Where(id => id is not null).ToList();
        Assert.NotEmpty(resumed);
        Assert.All(resumed, id => Assert.DoesNotContain("\"offset\":-1", id!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ingest_killed_mid_stream_resumes_from_the_log_without_gaps_or_repeats_and_sigterm_exits_zero()
    {
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        await using var replay = await StartReplayAsync(new ReplayOptions { Rate = 2_000 });

        await using (var first = await IngestProcess.StartAsync(replay.StreamUrl, log.Path, state.Path))
        {
            await FileLogAssertions.WaitForRecordsAsync(log.Path, 500, TimeSpan.FromSeconds(30));
            await first.KillAsync();
        }

        var beforeRestart = (await FileLogAssertions.WaitForRecordsAsync(log.Path, 500, TimeSpan.FromSeconds(5))).Count;
        Assert.True(beforeRestart < Total, "the kill happened mid-stream");
        var requestsBeforeRestart = replay.Statistics.LastEventIds.Count;

        await using var second = await IngestProcess.StartAsync(replay.StreamUrl, log.Path, state.Path);
        var records = await FileLogAssertions.WaitForRecordsAsync(log.Path, Total, TimeSpan.FromSeconds(60));
        FileLogAssertions.HoldsExactly(records, replay.Capture, Total);

        // The restart resumed the stream itself (not only dropped what it read again): its first request named the
        // last event in the log, so the replay started at the first event the log lacked.
        var resumedWith = replay.Statistics.LastEventIds.ElementAt(requestsBeforeRestart);
        Assert.NotNull(resumedWith);
        // The replay's partition entry is an offset: no time lookup is needed (-1 would fail the test).
        Assert.Equal(beforeRestart, ReplayStreamIds.ResumeIndex(Total, resumedWith, since: null, firstAtOrAfter: _ => -1));

        Assert.Equal(0, await second.TerminateAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(Total, (await FileLogAssertions.WaitForRecordsAsync(log.Path, Total, TimeSpan.FromSeconds(5))).Count);
    }

    [Fact]
    public async Task Timestamp_ids_repeat_events_on_resume_and_the_repeats_are_dropped_by_meta_id()
    {
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions
        {
            IdStyle = ReplayIdStyle.Timestamp,
            DropEvery = 40,
        });

        await using var ingest = await IngestHost.StartAsync(IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path));
        var records = await FileLogAssertions.WaitForRecordsAsync(log.Path, 100, TimeSpan.FromSeconds(30));

        FileLogAssertions.HoldsExactly(records, replay.Capture, 100);
        Assert.True(ingest.Services.GetRequiredService<Pleiades.Ingest.Telemetry.RelayProgress>().Duplicates > 0, "resuming by timestamp repeated events");
    }

    [Fact]
    public async Task A_new_empty_log_continues_where_the_old_one_ended_from_the_ingests_own_record()
    {
        using var state = new TemporaryDirectory();
        using var oldLog = new TemporaryDirectory();
        using var newLog = new TemporaryDirectory();
        await using var replay = await StartReplayAsync(new ReplayOptions { Rate = 4_000 });

        await using (var first = await IngestHost.StartAsync(IngestHost.FileLogSettings(replay.StreamUrl, oldLog.Path, state.Path)))
        {
            await FileLogAssertions.WaitForRecordsAsync(oldLog.Path, 1_000, TimeSpan.FromSeconds(30));
        }

        var old = (await FileLogAssertions.WaitForRecordsAsync(oldLog.Path, 1_000, TimeSpan.FromSeconds(5))).Count;
        Assert.True(old < Total, "the first log ended mid-stream");

        await using (var second = await IngestHost.StartAsync(IngestHost.FileLogSettings(replay.StreamUrl, newLog.Path, state.Path)))
        {
            var records = await FileLogAssertions.WaitForRecordsAsync(newLog.Path, Total - old, TimeSpan.FromSeconds(60));
            Assert.Equal(Total - old, records.Count);
            for (var i = 0; i < records.Count; i++)
            {
                Assert.True(records[i].Data.Span.SequenceEqual(replay.Capture.DataOf(old + i)), $"new log record {i} is event {old + i}");
            }
        }
    }
}
