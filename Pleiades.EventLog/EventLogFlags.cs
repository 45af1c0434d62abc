using Pleiades.CommandLine;

namespace Pleiades.EventLog;

/// <summary>The original's flags that choose the event log (Kafka or the durable file log), shared by Ingest and Aggregator.</summary>
public static class EventLogFlags
{
    public const string FileEnabledKey = "EventLog:File:Enabled";
    public const string FileDirectoryKey = "EventLog:File:Directory";
    public const string KafkaEnabledKey = "EventLog:Kafka:Enabled";
    public const string KafkaTopicKey = "EventLog:Kafka:Topic";

    /// <summary>Kafka's address is the Aspire connection string, so the flag and <c>ConnectionStrings__kafka</c> are one setting.</summary>
    public const string KafkaBrokerKey = "ConnectionStrings:kafka";

    public static IEnumerable<Flag> All { get; } =
    [
        new Flag("file.enable", FileEnabledKey, "use the durable file log instead of Kafka", IsSwitch: true),
        new Flag("file.publishDir", FileDirectoryKey, "directory of the file log", Default: EventLogNames.DefaultFileDirectory),
        new Flag("kafka.enable", KafkaEnabledKey, "use Kafka (the default when the file log is not enabled)", IsSwitch: true),
        Flag.HostAndPort("kafka.broker", KafkaBrokerKey, "Kafka bootstrap servers", EventLogNames.DefaultBroker, allowList: true),
        new Flag("kafka.topic", KafkaTopicKey, "Kafka topic of the events", Default: EventLogNames.EventsTopic),
    ];

    /// <summary>Rejects a command line that enables both logs.</summary>
    public static string? CheckOneLog(IReadOnlyDictionary<string, string?> settings) =>
        settings.TryGetValue(FileEnabledKey, out var file) && file == "true"
        && settings.TryGetValue(KafkaEnabledKey, out var kafka) && kafka == "true"
            ? "--file.enable and --kafka.enable exclude each other: choose one event log"
            : null;
}
