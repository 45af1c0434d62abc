using System.Text;
using Pleiades.EventLog.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.FileLog;

/// <summary>Retention of the file log on real files: what is deleted, what is kept, and what a reader makes of it.</summary>
public class FileLogRetentionTests
{
    private const long SegmentBytes = 1024;

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(Start);

    private static FileEventLogOptions Options(string directory) => new() { Directory = directory, SegmentBytes = SegmentBytes };

    private FileLogRetention Retention(double hours = 168, long bytes = 0) =>
        new(new FileLogRetentionOptions { RetentionHours = hours, RetentionBytes = bytes }, _clock);

    private static void AppendRange(FileEventLogWriter writer, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            writer.Append(Encoding.UTF8.GetBytes($"[{{\"offset\":{i}}}]"), Encoding.UTF8.GetBytes($"{{\"n\":{i},\"pad\":\"{new string('x', 100)}\"}}"));
        }

        writer.Flush();
    }

    private static List<FileLogRecord> ReadAll(string directory, FileLogPosition start, List<FileLogGap>? gaps = null) =>
        FileLogContents.ReadAll(directory, start, gaps is null ? null : gaps.Add);

    private static int Number(FileLogRecord record) => FileLogContents.Number(record);

    private static List<int> Segments(string directory) =>
        [.. Directory.GetFiles(directory, "*.seg").Select(path => int.Parse(Path.GetFileNameWithoutExtension(path), System.Globalization.CultureInfo.InvariantCulture)).Order()];

    [Fact]
    public void Sealed_segments_whose_newest_record_is_past_the_age_are_deleted_oldest_first_and_the_rest_kept()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 40);
        _clock.Advance(TimeSpan.FromHours(100));
        AppendRange(writer, 40, 40);
        var before = ReadAll(directory.Path, FileLogPosition.Start);

        // A week and two hours after the first records, four days after the others.
        _clock.Advance(TimeSpan.FromHours(70));
        var deletions = Retention().Apply(writer);

        // Every segment holding only the first records is gone; the one where the later records began holds a young record.
        var newestBySegment = before.GroupBy(r => r.Position.Segment).ToDictionary(g => g.Key, g => g.Max(Number));
        var expired = newestBySegment.Where(s => s.Value < 40).Select(s => s.Key).Order().ToList();
        Assert.True(expired.Count >= 3, "the first records fill several segments");
        Assert.Equal(expired, deletions.Select(d => d.Segment));
        Assert.All(deletions, d => Assert.Equal(FileLogRetentionReason.Age, d.Reason));
        Assert.All(deletions, d => Assert.Equal(Start, d.NewestRecord));
        Assert.All(deletions, d => Assert.True(d.Bytes > SegmentBytes / 2));
        Assert.Equal(newestBySegment.Keys.Except(expired).Order(), Segments(directory.Path));

        // The log is the contiguous rest, read from the start as from any position in it.
        var kept = before.Where(r => !expired.Contains(r.Position.Segment)).Select(Number).ToList();
        Assert.Equal(kept, ReadAll(directory.Path, FileLogPosition.Start).Select(Number));
        Assert.Equal(Enumerable.Range(kept[0], 80 - kept[0]), kept);

        // Nothing more is due until more time passes.
        Assert.Empty(Retention().Apply(writer));
    }

    [Fact]
    public void The_active_segment_is_never_deleted_however_old_and_the_writer_goes_on_appending()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 40);
        var active = writer.End.Segment;
        _clock.Advance(TimeSpan.FromDays(365));

        var deletions = Retention(hours: 1, bytes: SegmentBytes).Apply(writer);

        Assert.Equal(Enumerable.Range(0, active), deletions.Select(d => d.Segment));
        Assert.Equal([active], Segments(directory.Path));
        Assert.Empty(Retention(hours: 1, bytes: SegmentBytes).Apply(writer));

        AppendRange(writer, 40, 3);
        var left = ReadAll(directory.Path, FileLogPosition.Start);
        Assert.Equal(42, Number(left[^1]));
        Assert.Equal(active, left[0].Position.Segment);
    }

    [Fact]
    public void The_size_cap_deletes_the_oldest_sealed_segments_until_the_log_fits()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 100);
        const long cap = 4 * SegmentBytes;

        var deletions = Retention(hours: 0, bytes: cap).Apply(writer);

        var left = Segments(directory.Path);
        var size = left.Sum(s => new FileInfo(Path.Combine(directory.Path, $"{s:D10}.seg")).Length);
        Assert.True(size <= cap, $"{size} bytes left, cap {cap}");
        Assert.True(size + deletions[^1].Bytes > cap, "no segment more than needed was deleted");
        Assert.Equal(Enumerable.Range(0, deletions.Count), deletions.Select(d => d.Segment));
        Assert.All(deletions, d => Assert.Equal(FileLogRetentionReason.Size, d.Reason));
        Assert.Equal(Enumerable.Range(deletions.Count, left.Count), left);
        Assert.Equal(99, Number(ReadAll(directory.Path, FileLogPosition.Start)[^1]));
    }

    [Fact]
    public void Zero_keeps_everything_forever()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 60);
        _clock.Advance(TimeSpan.FromDays(3650));

        Assert.Empty(Retention(hours: 0, bytes: 0).Apply(writer));
        Assert.Equal(Enumerable.Range(0, 60), ReadAll(directory.Path, FileLogPosition.Start).Select(Number));
    }

    [Fact]
    public void A_reader_positioned_in_a_deleted_segment_reports_exactly_what_it_lost_and_resumes_at_the_oldest_segment()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 60);
        var before = ReadAll(directory.Path, FileLogPosition.Start);
        var stored = before.First(r => r.Position.Segment == 1 && r.Position.Offset > 24).Position;

        var deletions = Retention(hours: 0, bytes: 4 * SegmentBytes).Apply(writer);
        var oldest = deletions[^1].Segment + 1;
        Assert.True(oldest > 2, "the deletion reaches past the stored position's segment");

        var gaps = new List<FileLogGap>();
        var read = ReadAll(directory.Path, stored, gaps);

        var lost = before.Where(r => r.Position >= stored && r.Position.Segment < oldest).ToList();
        var gap = Assert.Single(gaps);
        Assert.Equal(stored, gap.From);
        Assert.Equal(new FileLogPosition(oldest, 24), gap.To);
        Assert.Equal(lost.Sum(r => r.Next.Offset - r.Position.Offset), gap.LostBytes);
        Assert.Equal(oldest - 1, gap.Segments);
        Assert.Equal(before.Where(r => r.Position.Segment >= oldest).Select(Number), read.Select(Number));

        // Without anyone to tell, a position in a deleted segment is an error, never a silent skip.
        Assert.Throws<InvalidDataException>(() => ReadAll(directory.Path, stored));
    }

    [Fact]
    public void A_position_at_the_very_end_of_a_deleted_segment_lost_nothing()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 40);
        var before = ReadAll(directory.Path, FileLogPosition.Start);
        _clock.Advance(TimeSpan.FromDays(30));
        AppendRange(writer, 40, 1);

        var deletions = Retention(hours: 24 * 29).Apply(writer);

        // An Aggregator that had counted everything in the deleted segments stored the end of the last one.
        var lastDeleted = deletions[^1].Segment;
        var endOfLastDeleted = before.Last(r => r.Position.Segment == lastDeleted).Next;
        var gaps = new List<FileLogGap>();
        var read = ReadAll(directory.Path, endOfLastDeleted, gaps);

        Assert.Empty(gaps);
        Assert.Equal(before.First(r => r.Position.Segment == lastDeleted + 1).Position, read[0].Position);
        Assert.Equal(40, Number(read[^1]));
    }

    [Fact]
    public void A_reader_inside_a_segment_when_it_and_the_next_are_deleted_finishes_it_and_reports_the_rest()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path), _clock);
        AppendRange(writer, 0, 60);
        var before = ReadAll(directory.Path, FileLogPosition.Start);
        var gaps = new List<FileLogGap>();
        using var reader = new FileEventLogReader(directory.Path, FileLogPosition.Start, onGap: gaps.Add);
        Assert.True(reader.TryRead(out var first));

        // The reader holds segment 0 open; retention deletes it and the segments after it.
        var deletions = Retention(hours: 0, bytes: 3 * SegmentBytes).Apply(writer);
        Assert.True(deletions.Count > 2);
        var records = new List<FileLogRecord> { first };
        reader.ReadBatch(records, 1000);

        var oldest = deletions[^1].Segment + 1;
        Assert.Equal(before.Where(r => r.Position.Segment == 0 || r.Position.Segment >= oldest).Select(Number), records.Select(Number));
        var gap = Assert.Single(gaps);
        Assert.Equal(new FileLogPosition(1, 0), gap.From);
        Assert.Equal(new FileLogPosition(oldest, 24), gap.To);
        Assert.Equal(deletions.Skip(1).Sum(d => d.Bytes - 24), gap.LostBytes);
    }

    [Fact]
    public void A_crash_in_the_middle_of_deleting_leaves_a_log_that_readers_and_the_next_writer_accept()
    {
        using var directory = new TemporaryDirectory();
        using (var writer = FileEventLogWriter.Open(Options(directory.Path), _clock))
        {
            AppendRange(writer, 0, 60);
        }

        var before = ReadAll(directory.Path, FileLogPosition.Start);

        // Segment 0 removed by hand (its size on record nowhere), then a crash while retention recorded segment 1's
        // deletion: a torn line, and segment 1 still there.
        File.Delete(Path.Combine(directory.Path, "0000000000.seg"));
        File.AppendAllText(Path.Combine(directory.Path, "deleted-segments"), "\n1 10");
        Assert.Equal(before.Where(r => r.Position.Segment > 0).Select(Number), ReadAll(directory.Path, FileLogPosition.Start).Select(Number));

        using (var writer = FileEventLogWriter.Open(Options(directory.Path), _clock))
        {
            Assert.Equal(59, Number(writer.LastRecordAtOpen!.Value));
            var deletions = Retention(hours: 0, bytes: 3 * SegmentBytes).Apply(writer);
            Assert.Equal(1, deletions[0].Segment);
            AppendRange(writer, 60, 1);
        }

        // Segment 0's size was never recorded, so a reader there cannot say how much it missed.
        var gaps = new List<FileLogGap>();
        var read = ReadAll(directory.Path, before[1].Position, gaps);
        Assert.Null(Assert.Single(gaps).LostBytes);
        Assert.Equal(60, Number(read[^1]));
    }

    [Fact]
    public void Bad_retention_settings_are_all_reported_at_once()
    {
        var validator = new FileLogRetentionOptionsValidator(new FileEventLogOptions { SegmentBytes = 1 << 20 });

        Assert.True(validator.Validate(null, new FileLogRetentionOptions()).Succeeded);
        Assert.True(validator.Validate(null, new FileLogRetentionOptions { RetentionHours = 0, RetentionBytes = 1 << 20 }).Succeeded);

        var result = validator.Validate(null, new FileLogRetentionOptions { RetentionHours = -1, RetentionBytes = -5, RetentionCheckInterval = TimeSpan.Zero });
        Assert.True(result.Failed);
        Assert.Collection(
            result.Failures!,
            f => Assert.Contains("EventLog:File:RetentionHours", f, StringComparison.Ordinal),
            f => Assert.Contains("EventLog:File:RetentionBytes", f, StringComparison.Ordinal),
            f => Assert.Contains("EventLog:File:RetentionCheckInterval", f, StringComparison.Ordinal));
        Assert.Contains("less than one segment", Assert.Single(validator.Validate(null, new FileLogRetentionOptions { RetentionBytes = 1000 }).Failures!), StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new FileLogRetentionOptions { RetentionHours = double.NaN }).Failed);
    }
}
