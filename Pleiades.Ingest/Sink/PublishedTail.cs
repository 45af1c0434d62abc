namespace Pleiades.Ingest.Sink;

/// <summary>
/// The messages read back from the end of every partition of the topic, by publish sequence, and where a restarted
/// Ingest resumes. Not simply after the highest sequence: a batch goes to many partitions, and an Ingest killed in
/// the middle of one can leave a later message delivered and an earlier one, on another partition, not. Resuming
/// after the later one would skip the earlier event for good. So the resume point is the end of the unbroken run of
/// sequences; events after it that did reach the topic are read again and dropped by their meta.ids, which the tail
/// also seeds.
/// </summary>
public sealed class PublishedTail
{
    private readonly Dictionary<int, long> _firstByPartition = [];
    private readonly Dictionary<long, (ReadOnlyMemory<byte> Id, long TimeUnixMs)> _bySequence = [];

    /// <summary>The highest sequence read (the next run numbers its messages after it); -1 when none was.</summary>
    public long MaxSequence { get; private set; } = -1;

    /// <summary>Adds a message read from <paramref name="partition"/>; each partition is read in order.</summary>
    public void Add(int partition, long sequence, ReadOnlyMemory<byte> sseId, long timeUnixMs)
    {
        _firstByPartition.TryAdd(partition, sequence);
        _bySequence[sequence] = (sseId, timeUnixMs);
        MaxSequence = Math.Max(MaxSequence, sequence);
    }

    /// <summary>
    /// The last message of the unbroken run of sequences, or null when nothing was read. Above the highest of the
    /// partitions' first sequences read, every delivered sequence is in the tail (each partition's tail is a suffix
    /// of it, in order), so a missing one there was never delivered.
    /// </summary>
    public (long Sequence, ReadOnlyMemory<byte> SseId, long TimeUnixMs)? ResumePoint()
    {
        if (_firstByPartition.Count == 0)
        {
            return null;
        }

        var sequence = _firstByPartition.Values.Max();
        while (_bySequence.ContainsKey(sequence + 1))
        {
            sequence++;
        }

        var (id, time) = _bySequence[sequence];
        return (sequence, id, time);
    }
}
