using System.Buffers.Binary;
using Confluent.Kafka;

namespace Pleiades.Ingest.Publishing;

/// <summary>
/// The header the Ingest puts on every Kafka message (the value is the event's JSON, untouched), and how the resume
/// reads it back. Everything the resume needs is in one header because each header costs about a microsecond of
/// CPU per message in Confluent.Kafka and librdkafka (marshalled, copied, freed, serialised one by one): three
/// headers and a key were the largest part of the Kafka Ingest's cost beyond the file log's (BENCHMARKS.md,
/// optimisation 18).
/// </summary>
public static class KafkaHeaders
{
    /// <summary>The event's publish sequence (8 bytes, big-endian: the order of events across partitions, so the
    /// last one can be found again), then its SSE id exactly as received (UTF-8).</summary>
    public const string Position = "pleiades-position";

    /// <summary>The SSE id, in its own header, as Ingests before <see cref="Position"/> wrote it.</summary>
    public const string SseIdBeforePosition = "sse-id";

    /// <summary>The publish sequence, in its own header, as Ingests before <see cref="Position"/> wrote it.</summary>
    public const string SequenceBeforePosition = "pleiades-seq";

    private const int SequenceLength = sizeof(long);

    /// <summary>The <see cref="Position"/> header's value for the event with <paramref name="sequence"/> and <paramref name="sseId"/>.</summary>
    public static byte[] PositionValue(long sequence, ReadOnlySpan<byte> sseId)
    {
        var value = new byte[SequenceLength + sseId.Length];
        BinaryPrimitives.WriteInt64BigEndian(value, sequence);
        sseId.CopyTo(value.AsSpan(SequenceLength));
        return value;
    }

    /// <summary>Reads a message's sequence and SSE id, from <see cref="Position"/> or from the two headers that
    /// came before it (a topic's tail still holds those right after an upgrade); false when neither is there.</summary>
    public static bool TryReadPosition(Headers? headers, out long sequence, out ReadOnlyMemory<byte> sseId)
    {
        if (headers is not null && headers.TryGetLastBytes(Position, out var position) && position.Length >= SequenceLength)
        {
            sequence = BinaryPrimitives.ReadInt64BigEndian(position);
            sseId = position.AsMemory(SequenceLength);
            return true;
        }

        if (headers is not null && headers.TryGetLastBytes(SequenceBeforePosition, out var sequenceBytes) && sequenceBytes.Length == SequenceLength
            && headers.TryGetLastBytes(SseIdBeforePosition, out var sseIdBytes))
        {
            sequence = BinaryPrimitives.ReadInt64BigEndian(sequenceBytes);
            sseId = sseIdBytes;
            return true;
        }

        sequence = -1;
        sseId = default;
        return false;
    }
}
