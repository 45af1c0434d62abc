namespace Pleiades.Aggregator.Telemetry;

/// <summary>How a source's batches are named in traces: the span name and the messaging attributes.</summary>
/// <param name="SpanName">The name of each batch's span.</param>
/// <param name="MessagingSystem">The messaging system (<c>kafka</c>), or null for the file log.</param>
/// <param name="Destination">The topic, or the file log's folder.</param>
public sealed record BatchTraceSource(string SpanName, string? MessagingSystem, string Destination)
{
    /// <summary>Batches of the Kafka topic <paramref name="topic"/>: "{topic} process".</summary>
    public static BatchTraceSource Kafka(string topic) => new($"{topic} process", "kafka", topic);

    /// <summary>Batches of the file log in <paramref name="directory"/>: "file-log process".</summary>
    public static BatchTraceSource FileLog(string directory) => new("file-log process", null, directory);
}
