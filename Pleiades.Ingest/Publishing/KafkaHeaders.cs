namespace Pleiades.Ingest.Publishing;

/// <summary>Headers the Ingest puts on every Kafka message (the value is the event's JSON, untouched).</summary>
public static class KafkaHeaders
{
    /// <summary>The SSE id exactly as received (UTF-8).</summary>
    public const string SseId = "sse-id";

    /// <summary>The Ingest's publish sequence (8 bytes, big-endian): the order of events across partitions, so the last one can be found again.</summary>
    public const string Sequence = "pleiades-seq";
}
