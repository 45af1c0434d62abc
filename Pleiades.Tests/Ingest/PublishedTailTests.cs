using System.Text;
using Pleiades.Ingest.Sink;

namespace Pleiades.Tests.Ingest;

public class PublishedTailTests
{
    [Fact]
    public void A_batch_cut_short_on_one_partition_resumes_before_its_first_missing_event()
    {
        // Sequences 0-9 went round-robin to two partitions; the Ingest died before 7 and 9 reached partition 1
        // (a partition delivers in order, so 9 cannot be there without 7), while 8 reached partition 0.
        var tail = new PublishedTail();
        foreach (var sequence in new long[] { 0, 2, 4, 6, 8 })
        {
            Add(tail, partition: 0, sequence);
        }

        foreach (var sequence in new long[] { 1, 3, 5 })
        {
            Add(tail, partition: 1, sequence);
        }

        var point = tail.ResumePoint();

        // After 8 (the highest), event 7 would never be read again.
        Assert.NotNull(point);
        Assert.Equal(6, point.Value.Sequence);
        Assert.Equal("id-6", Encoding.UTF8.GetString(point.Value.SseId.Span));
        Assert.Equal(6_000, point.Value.TimeUnixMs);
        Assert.Equal(8, tail.MaxSequence);
    }

    [Fact]
    public void Gaps_below_where_every_partitions_tail_begins_are_not_gaps()
    {
        // Partition 1's tail reaches further back than partition 0's: sequences below 10 that partition 0 held
        // are outside its tail, not missing.
        var tail = new PublishedTail();
        foreach (var sequence in new long[] { 10, 12, 14 })
        {
            Add(tail, partition: 0, sequence);
        }

        foreach (var sequence in new long[] { 3, 5, 7, 9, 11, 13, 15 })
        {
            Add(tail, partition: 1, sequence);
        }

        Assert.Equal(15, tail.ResumePoint()?.Sequence);
    }

    [Fact]
    public void An_empty_tail_gives_no_resume_point_and_numbering_starts_at_zero()
    {
        var tail = new PublishedTail();

        Assert.Null(tail.ResumePoint());
        Assert.Equal(0, tail.MaxSequence + 1);
    }

    private static void Add(PublishedTail tail, int partition, long sequence) =>
        tail.Add(partition, sequence, Encoding.UTF8.GetBytes($"id-{sequence}"), sequence * 1_000);
}
