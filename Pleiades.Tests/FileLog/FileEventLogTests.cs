using System.Text;
using CsCheck;
using Pleiades.EventLog.FileLog;

namespace Pleiades.Tests.FileLog;

public class FileEventLogTests
{
    private static byte[] Id(int i) => Encoding.UTF8.GetBytes($"[{{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"offset\":{i}}}]");

    private static byte[] Data(int i) => Encoding.UTF8.GetBytes($"{{\"meta\":{{\"id\":\"{i}\"}},\"n\":{i},\"pad\":\"{new string('x', i % 50)}\"}}");

    private static FileEventLogOptions Options(string directory, long segmentBytes = 64L * 1024 * 1024) =>
        new() { Directory = directory, SegmentBytes = segmentBytes };

    private static void AppendRange(FileEventLogWriter writer, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            writer.Append(Id(i), Data(i));
        }

        writer.Flush();
    }

    private static List<FileLogRecord> ReadAll(string directory, FileLogPosition start) => FileLogContents.ReadAll(directory, start);

    private static int Number(FileLogRecord record) => FileLogContents.Number(record);

    [Fact]
    public void Records_round_trip_in_order_across_segments_and_a_stored_position_resumes_exactly()
    {
        using var directory = new TemporaryDirectory();
        using (var writer = FileEventLogWriter.Open(Options(directory.Path, segmentBytes: 4096)))
        {
            AppendRange(writer, 0, 500);
        }

        var records = ReadAll(directory.Path, FileLogPosition.Start);

        Assert.Equal(Enumerable.Range(0, 500), records.Select(Number));
        Assert.True(records[^1].Position.Segment > 3, "the small segment size rotates");
        Assert.All(records, r => Assert.Equal(Id(Number(r)), r.Id.ToArray()));
        for (var i = 1; i < records.Count; i++)
        {
            Assert.True(records[i - 1].Position < records[i].Position);
            // Within a segment a record starts where the one before it ended; a new segment (the next number) starts after its header.
            var expected = records[i - 1].Position.Segment == records[i].Position.Segment
                ? records[i - 1].Next
                : new FileLogPosition(records[i - 1].Position.Segment + 1, FileLogFormat.SegmentHeaderLength);
            Assert.Equal(expected, records[i].Position);
        }

        var stored = records[321].Next;
        Assert.Equal(Enumerable.Range(322, 178), ReadAll(directory.Path, FileLogPosition.Parse(stored.ToString())).Select(Number));
        Assert.Equal(Enumerable.Range(322, 178), ReadAll(directory.Path, FileLogPosition.FromInt64(stored.ToInt64())).Select(Number));
    }

    [Fact]
    public void The_last_segments_end_leads_to_the_next_segment()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path, segmentBytes: 1024));
        AppendRange(writer, 0, 40);
        var records = ReadAll(directory.Path, FileLogPosition.Start);

        // A position at the very end of a sealed segment (its last record's Next) continues in the next one.
        var endOfFirst = records.Last(r => r.Position.Segment == 0).Next;
        var resumed = ReadAll(directory.Path, endOfFirst);

        Assert.Equal(records.SkipWhile(r => r.Position.Segment == 0).Select(Number), resumed.Select(Number));
    }

    [Fact]
    public void Positions_convert_to_text_and_numbers_and_keep_their_order()
    {
        Gen.Select(Gen.Int[0, 1 << 23], Gen.Long[0, (1L << 40) - 1], Gen.Int[0, 1 << 23], Gen.Long[0, (1L << 40) - 1]).Sample((s1, o1, s2, o2) =>
        {
            var a = new FileLogPosition(s1, o1);
            var b = new FileLogPosition(s2, o2);
            Assert.Equal(a, FileLogPosition.Parse(a.ToString()));
            Assert.Equal(a, FileLogPosition.FromInt64(a.ToInt64()));
            Assert.Equal(Math.Sign(a.CompareTo(b)), Math.Sign(a.ToInt64().CompareTo(b.ToInt64())));
        });

        Assert.False(FileLogPosition.TryParse("12", out _));
        Assert.False(FileLogPosition.TryParse("-1:5", out _));
        Assert.False(FileLogPosition.TryParse(null, out _));
    }

    [Fact]
    public void A_torn_tail_is_never_read_and_the_next_writer_cuts_it_off()
    {
        using var directory = new TemporaryDirectory();
        using (var writer = FileEventLogWriter.Open(Options(directory.Path)))
        {
            AppendRange(writer, 0, 10);
        }

        // A kill in the middle of a write leaves the first part of a record.
        var segment = Directory.GetFiles(directory.Path, "*.seg").Single();
        var whole = File.ReadAllBytes(segment);
        using (var writer = FileEventLogWriter.Open(Options(directory.Path)))
        {
            AppendRange(writer, 10, 1);
        }

        var withEleven = File.ReadAllBytes(segment);
        File.WriteAllBytes(segment, withEleven[..(whole.Length + (withEleven.Length - whole.Length) / 2)]);

        using var follower = new FileEventLogReader(directory.Path, FileLogPosition.Start);
        var seen = new List<FileLogRecord>();
        follower.ReadBatch(seen, 100);
        Assert.Equal(Enumerable.Range(0, 10), seen.Select(Number));
        Assert.Equal(9, Number(FileEventLogReader.ReadLast(directory.Path)!.Value));

        using (var writer = FileEventLogWriter.Open(Options(directory.Path)))
        {
            Assert.True(writer.TornBytesDiscarded > 0);
            Assert.Equal(9, Number(writer.LastRecordAtOpen!.Value));
            AppendRange(writer, 10, 5);
        }

        follower.ReadBatch(seen, 100);
        Assert.Equal(Enumerable.Range(0, 15), seen.Select(Number));
    }

    [Fact]
    public void Whatever_length_a_kill_leaves_the_log_recovers_to_the_records_written_whole()
    {
        using var directory = new TemporaryDirectory();
        using (var writer = FileEventLogWriter.Open(Options(directory.Path)))
        {
            AppendRange(writer, 0, 20);
        }

        var segment = Directory.GetFiles(directory.Path, "*.seg").Single();
        var bytes = File.ReadAllBytes(segment);
        var ends = ReadAll(directory.Path, FileLogPosition.Start).Select(r => r.Next.Offset).ToList();

        Gen.Int[0, bytes.Length].Sample(cut =>
        {
            File.WriteAllBytes(segment, bytes[..cut]);
            var whole = ends.Count(end => end <= cut);
            using (var writer = FileEventLogWriter.Open(Options(directory.Path)))
            {
                AppendRange(writer, 100, 1);
            }

            Assert.Equal(Enumerable.Range(0, whole).Append(100), ReadAll(directory.Path, FileLogPosition.Start).Select(Number));
        }, iter: 60, threads: 1);
    }

    [Fact]
    public void Damage_inside_a_sealed_segment_is_an_error_not_a_silent_skip()
    {
        using var directory = new TemporaryDirectory();
        using (var writer = FileEventLogWriter.Open(Options(directory.Path, segmentBytes: 2048)))
        {
            AppendRange(writer, 0, 60);
        }

        var first = Directory.GetFiles(directory.Path, "*.seg").Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(first);
        bytes[200] ^= 0xFF;
        File.WriteAllBytes(first, bytes);

        Assert.Throws<InvalidDataException>(() => ReadAll(directory.Path, FileLogPosition.Start));
    }

    [Fact]
    public async Task A_reader_follows_the_log_as_it_grows()
    {
        using var directory = new TemporaryDirectory();
        using var reader = new FileEventLogReader(directory.Path, FileLogPosition.Start, TimeSpan.FromMilliseconds(5));
        var reading = Task.Run(async () =>
        {
            var records = new List<FileLogRecord>();
            while (records.Count < 300)
            {
                await reader.ReadBatchAsync(records, 1000, TestContext.Current.CancellationToken);
            }

            return records;
        }, TestContext.Current.CancellationToken);

        using (var writer = FileEventLogWriter.Open(Options(directory.Path, segmentBytes: 4096)))
        {
            for (var batch = 0; batch < 30; batch++)
            {
                AppendRange(writer, batch * 10, 10);
                await Task.Yield();
            }
        }

        var records = await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, 300), records.Select(Number));
    }

    [Fact]
    public async Task Creators_racing_for_a_new_log_all_get_the_one_identity_its_file_holds()
    {
        // The Ingest and the Aggregator (or a test's reader) may create a new log at the same moment; whoever loses
        // must use the winner's identity, or the loser writes segments under an identity the log-id file no longer names.
        const int Logs = 100;
        const int Creators = 8;
        using var root = new TemporaryDirectory();
        for (var log = 0; log < Logs; log++)
        {
            var directory = Path.Combine(root.Path, log.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var start = new Barrier(Creators);
            var identities = await Task.WhenAll(Enumerable.Range(0, Creators).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                return FileLogIdentity.GetOrCreate(directory);
            })));

            Assert.True(FileLogIdentity.TryRead(directory, out var stored));
            Assert.All(identities, identity => Assert.Equal(stored, identity));
            Assert.Equal(["log-id"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void The_identity_is_written_once_and_names_the_log()
    {
        using var directory = new TemporaryDirectory();
        using var other = new TemporaryDirectory();
        Guid first;
        using (var writer = FileEventLogWriter.Open(Options(directory.Path)))
        {
            first = writer.LogId;
            AppendRange(writer, 0, 1);
        }

        using var reader = new FileEventLogReader(directory.Path, FileLogPosition.Start);
        Assert.Equal(first, reader.LogId);
        Assert.Equal("file:" + first.ToString("D"), reader.LogKey);
        Assert.NotEqual(first, FileLogIdentity.GetOrCreate(other.Path));

        // A segment copied in from another log is refused.
        File.Copy(Directory.GetFiles(directory.Path, "*.seg").Single(), Path.Combine(other.Path, "0000000000.seg"));
        Assert.Throws<InvalidDataException>(() => ReadAll(other.Path, FileLogPosition.Start));

        // Segments without an identity are not given a new one.
        File.Delete(Path.Combine(directory.Path, "log-id"));
        Assert.Throws<InvalidDataException>(() => FileEventLogWriter.Open(Options(directory.Path)));
    }

    [Fact]
    public void A_second_writer_is_refused_while_the_first_holds_the_log()
    {
        using var directory = new TemporaryDirectory();
        using var writer = FileEventLogWriter.Open(Options(directory.Path));

        Assert.Throws<IOException>(() => FileEventLogWriter.Open(Options(directory.Path)));
    }

    [Fact]
    public void An_empty_or_missing_log_has_no_last_record()
    {
        using var directory = new TemporaryDirectory();
        Assert.Null(FileEventLogReader.ReadLast(Path.Combine(directory.Path, "none")));
        using (FileEventLogWriter.Open(Options(directory.Path)))
        {
        }

        Assert.Null(FileEventLogReader.ReadLast(directory.Path));
    }
}
