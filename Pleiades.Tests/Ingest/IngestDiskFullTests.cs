using Microsoft.Extensions.DependencyInjection;
using Pleiades.Ingest.Telemetry;
using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>
/// A full disk under the file log: the Ingest counts the write errors, keeps the events it could not write,
/// and writes each of them exactly once when space comes back. The disk is a small tmpfs the test mounts
/// (tests run as root here and in CI) and then enlarges.
/// </summary>
[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IngestDiskFullTests : IAsyncLifetime
{
    private const int Total = 100 * 30;
    private static readonly TimeSpan MountTimeout = TimeSpan.FromSeconds(30);
    private readonly TemporaryDirectory _disk = new();

    public ValueTask InitializeAsync() => RunAsync("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", _disk.Path);

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", _disk.Path);
        _disk.Dispose();
    }

    private static async ValueTask RunAsync(string program, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(program, args, MountTimeout);
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {result.Error}");
    }

    [Fact]
    public async Task Write_errors_are_counted_and_every_event_is_written_once_when_space_returns()
    {
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = 30 });
        using var state = new TemporaryDirectory();
        var log = Path.Combine(_disk.Path, "events");
        await using var ingest = await IngestHost.StartAsync(IngestHost.FileLogSettings(replay.StreamUrl, log, state.Path));

        // About 3 MB of events do not fit in 512 KiB: the publisher fails and retries.
        await Eventually.WaitUntilAsync(
            async () => MetricsText.OptionalValue(await ingest.ScrapeMetricsAsync(), "pleiades_file_publish_errors_total") > 0,
            TimeSpan.FromSeconds(30),
            "a file publish error counted while the disk was full");
        Assert.True(ingest.Services.GetRequiredService<RelayProgress>().Published < Total, "everything was published although the disk was full");

        await RunAsync("mount", "-o", "remount,size=64m", _disk.Path);

        var records = await FileLogAssertions.WaitForRecordsAsync(log, Total, TimeSpan.FromSeconds(60));
        await ingest.WaitForPublishedAsync(Total, TimeSpan.FromSeconds(10));
        FileLogAssertions.HoldsExactly(records, replay.Capture, Total);
    }
}
