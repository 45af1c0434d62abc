using Pleiades.EventLog;

namespace Pleiades.Ingest.Sink;

/// <summary>The topic the Ingest writes, bound from the <c>EventLog:Kafka</c> section (<c>--kafka.topic</c>).</summary>
public sealed class KafkaTopicOptions
{
    public const string Section = "EventLog:Kafka";

    public string Topic { get; set; } = EventLogNames.EventsTopic;
}
