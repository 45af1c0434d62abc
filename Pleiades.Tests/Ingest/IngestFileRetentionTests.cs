using Pleiades.Replay;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>The Ingest keeps its file log within the retention settings while it writes, and says what it deleted.</summary>
[Collection(IngestHostCollection.Name)]
[Trait("Category", "Integration")]
public class IngestFileRetentionTests
{
    private const int Total = 100 * 20;
    private const long SegmentBytes = 16 * 1024;
    private const long RetentionBytes = 4 * SegmentBytes;

    [Fact]
    public async Task The_ingest_deletes_the_oldest_segments_beyond_the_size_cap_as_it_writes_and_counts_them()
    {
        using var log = new TemporaryDirectory();
        using var state = new TemporaryDirectory();
        await using var replay = await SampleReplay.StartAsync(new ReplayOptions { Multiply = Total / 100, Rate = 4_000 });
        var settings = IngestHost.FileLogSettings(replay.StreamUrl, log.Path, state.Path);
        settings["EventLog:File:SegmentBytes"] = SegmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["EventLog:File:RetentionBytes"] = RetentionBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var ingest = await IngestHost.StartAsync(settings);
        await ingest.WaitForPublishedAsync(Total, TimeSpan.FromSeconds(60));

        // Checked at every segment roll: at most what the active segment gained since the last check is over the cap.
        var segments = Directory.GetFiles(log.Path, "*.seg").Order(StringComparer.Ordinal).ToList();
        var size = segments.Sum(path => new FileInfo(path).Length);
        Assert.True(size <= RetentionBytes + SegmentBytes, $"{size} bytes in {segments.Count} segments");
        Assert.NotEqual("0000000000.seg", Path.GetFileName(segments[0]));

        // The log that is left is the newest events, whole and in order, ending with the last one served.
        var records = await FileLogAssertions.WaitForRecordsAsync(log.Path, 1, TimeSpan.FromSeconds(5));
        Assert.True(records.Count < Total);
        Assert.True(records[^1].Data.Span.SequenceEqual(replay.Capture.DataOf(Total - 1)));

        var deleted = File.ReadAllLines(Path.Combine(log.Path, "deleted-segments")).Where(line => line.Length > 0).ToList();
        var metrics = await ingest.ScrapeMetricsAsync();
        Assert.Equal(deleted.Count, MetricsText.Value(metrics, "pleiades_ingest_file_segments_deleted_total", "reason=\"size\""));
        Assert.Equal(
            deleted.Sum(line => long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)),
            MetricsText.Value(metrics, "pleiades_ingest_file_deleted_bytes_total"));
    }
}
