using System.Buffers.Binary;
using Confluent.Kafka;

namespace Pleiades.Ingest.Sink;

/// <summary>
/// Where an event stands, as the Ingest writes it into each Kafka message's key, and how the resume reads it back:
/// the publish sequence (8 bytes, big-endian: the order of events across partitions, so the last one can be found
/// again) followed by the SSE id exactly as received (UTF-8). The key rather than headers because librdkafka copies
/// a key with the value in one allocation, where every header is marshalled, allocated, freed and serialised on its
/// own for every message: per-message headers were the largest part of the Kafka Ingest's cost beyond the file
/// log's (docs/performance-notes.md, "Optimisations in detail").
/// </summary>
public static class KafkaPosition
{
    /// <summary>The SSE id header of messages written before the position moved into the key.</summary>
    public const string SseIdHeader = "sse-id";

    /// <summary>The sequence header (8 bytes, big-endian) of messages written before the position moved into the key.</summary>
    public const string SequenceHeader = "pleiades-seq";

    private const int SequenceLength = sizeof(long);

    /// <summary>The key of the event with <paramref name="sequence"/> and <paramref name="sseId"/>.</summary>
    public static byte[] Key(long sequence, ReadOnlySpan<byte> sseId)
    {
        var key = new byte[SequenceLength + sseId.Length];
        BinaryPrimitives.WriteInt64BigEndian(key, sequence);
        sseId.CopyTo(key.AsSpan(SequenceLength));
        return key;
    }

    /// <summary>
    /// Reads a message's sequence and SSE id: from the two headers an Ingest before this format wrote (a topic's tail
    /// still holds those right after an upgrade; their key was the 16-byte meta.id), else from the key. False when
    /// the message has neither.
    /// </summary>
    public static bool TryRead(Message<byte[]?, byte[]> message, out long sequence, out ReadOnlyMemory<byte> sseId)
    {
        if (message.Headers is { } headers && headers.TryGetLastBytes(SequenceHeader, out var sequenceBytes)
            && sequenceBytes.Length == SequenceLength && headers.TryGetLastBytes(SseIdHeader, out var sseIdBytes))
        {
            sequence = BinaryPrimitives.ReadInt64BigEndian(sequenceBytes);
            sseId = sseIdBytes;
            return true;
        }

        if (message.Key is { Length: > SequenceLength } key)
        {
            sequence = BinaryPrimitives.ReadInt64BigEndian(key);
            sseId = key.AsMemory(SequenceLength);
            return true;
        }

        sequence = -1;
        sseId = default;
        return false;
    }
}
