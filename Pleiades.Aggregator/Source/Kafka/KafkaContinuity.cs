using System.Globalization;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Losses;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>
/// Offsets of a partition are consecutive (the Ingest's producer is idempotent, never transactional, and the topic
/// is not compacted): a message past the expected offset means the broker no longer had those in between when
/// this reader asked (retention passed it by, or the embedded broker dropped them; librdkafka then resets to the
/// earliest offset). They can never be counted: say so loudly, count it, and record it for the site.
/// </summary>
internal sealed class KafkaContinuity(string topic, string logId, LossReporter losses, ILogger logger)
{
    // The offset each partition's next message must have; a message further on means the ones between are gone.
    private readonly Dictionary<int, long> _expectedOffsets = [];

    /// <summary>Notes the message at <paramref name="offset"/> of <paramref name="partition"/>, reporting the gap before it if any.</summary>
    public void Check(int partition, long offset, CancellationToken cancellationToken)
    {
        if (_expectedOffsets.TryGetValue(partition, out var expected) && offset > expected)
        {
            var lost = offset - expected;
            var description = string.Create(CultureInfo.InvariantCulture,
                $"{lost} events of {topic} partition {partition} (offsets {expected} to {offset - 1}) were gone from the broker before they were counted");
            logger.KafkaGap(description, offset);
            var gap = new LogGap(logId, KafkaPartitionName.Of(partition), expected, offset, lost, null, description);
            losses.ReportAsync(gap, LossReporter.KafkaSource, cancellationToken).GetAwaiter().GetResult();
        }

        _expectedOffsets[partition] = offset + 1;
    }

    /// <summary>Where counting of <paramref name="partition"/> resumes: the stored position, or offset 0 when nothing of it was ever counted.</summary>
    public void ExpectFrom(int partition, long next) => _expectedOffsets[partition] = next == BatchPosition.None ? 0 : next;

    public void Forget(int partition) => _expectedOffsets.Remove(partition);
}
