namespace Pleiades.EventLog;

/// <summary>
/// The names the Ingest, the Aggregators, the AppHost and deploy/ agree on: one home, so that a writer and its
/// readers cannot drift apart.
/// </summary>
public static class EventLogNames
{
    /// <summary>The topic that holds every event as received.</summary>
    public const string EventsTopic = "pleiades-events";

    /// <summary>Where the Aggregators put records they cannot count, unchanged.</summary>
    public const string DeadLetterTopic = EventsTopic + "-deadletter";

    /// <summary>The consumer group the Aggregator instances share.</summary>
    public const string ConsumerGroup = "pleiades-aggregator-group";

    /// <summary>The Kafka connection's name: its address is <c>ConnectionStrings:kafka</c> (the AppHost's resource, or <c>--kafka.broker</c>).</summary>
    public const string KafkaConnection = "kafka";

    /// <summary>The original's Kafka address when none is given.</summary>
    public const string DefaultBroker = "localhost:9092";

    /// <summary>The original's file log folder when none is given.</summary>
    public const string DefaultFileDirectory = "./events";
}
