using Confluent.Kafka;
using Pleiades.Ingest.Sink;

namespace Pleiades.Tests.Ingest;

/// <summary>Reads the Ingest's topic from the beginning of every partition, as the tests check what reached it.</summary>
public sealed class TopicReader : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]> _consumer;
    private readonly HashSet<int> _atEnd = [];

    public TopicReader(string bootstrapServers, string topic, int partitions)
    {
        _consumer = new ConsumerBuilder<byte[]?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "test-reader",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    }

    /// <summary>Every message read so far, each partition's in order.</summary>
    public List<ConsumeResult<byte[]?, byte[]>> Messages { get; } = [];

    /// <summary>The publish sequence the Ingest put on <paramref name="message"/>.</summary>
    public static long SequenceOf(ConsumeResult<byte[]?, byte[]> message) => PositionOf(message).Sequence;

    /// <summary>The SSE id the Ingest put on <paramref name="message"/>.</summary>
    public static string SseIdOf(ConsumeResult<byte[]?, byte[]> message) => System.Text.Encoding.UTF8.GetString(PositionOf(message).SseId.Span);

    /// <summary>Reads the whole topic (bounded wait) until it holds <paramref name="count"/> messages, then a moment longer for any beyond (they would be duplicates).</summary>
    public static List<ConsumeResult<byte[]?, byte[]>> ReadAll(string bootstrapServers, string topic, int partitions, int count)
    {
        using var reader = new TopicReader(bootstrapServers, topic, partitions);
        reader.ReadUntil(() => reader.Messages.Count >= count, TimeSpan.FromSeconds(30));
        while (reader.ReadOne(TimeSpan.FromMilliseconds(300)))
        {
        }

        return reader.Messages;
    }

    /// <summary>Whether everything <paramref name="partition"/> held when this reader last fetched from it has been read.</summary>
    public bool IsAtEnd(int partition) => _atEnd.Contains(partition);

    /// <summary>Reads until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it holds.</summary>
    public bool ReadUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            ReadOne(TimeSpan.FromMilliseconds(200));
        }

        return true;
    }

    public void Dispose() => _consumer.Dispose();

    private static (long Sequence, ReadOnlyMemory<byte> SseId) PositionOf(ConsumeResult<byte[]?, byte[]> message) =>
        KafkaPosition.TryRead(message.Message, out var sequence, out var sseId)
            ? (sequence, sseId)
            : throw new InvalidOperationException($"message at {message.TopicPartitionOffset} has no position");

    /// <summary>Reads one message or end of partition; false when nothing came within <paramref name="wait"/>.</summary>
    private bool ReadOne(TimeSpan wait)
    {
        if (_consumer.Consume(wait) is not { } result)
        {
            return false;
        }

        if (result.IsPartitionEOF)
        {
            _atEnd.Add(result.Partition.Value);
        }
        else
        {
            _atEnd.Remove(result.Partition.Value);
            Messages.Add(result);
        }

        return true;
    }
}
