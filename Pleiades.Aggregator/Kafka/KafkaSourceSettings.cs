using Pleiades.EventLog;

namespace Pleiades.Aggregator.Kafka;

/// <summary>Where the Kafka source reads: brokers, topic, group, and extra librdkafka settings.</summary>
/// <param name="BootstrapServers">The Kafka connection string (<c>ConnectionStrings:kafka</c>).</param>
/// <param name="Topic">The events topic.</param>
/// <param name="Group">The consumer group the Aggregator instances share.</param>
/// <param name="ConsumerConfig">librdkafka settings from <c>Aspire:Confluent:Kafka:Consumer:Config</c>.</param>
/// <param name="ProducerConfig">librdkafka settings for the dead-letter producer (<c>Aspire:Confluent:Kafka:Producer:Config</c>).</param>
public sealed record KafkaSourceSettings(
    string BootstrapServers,
    string Topic,
    string Group,
    IReadOnlyDictionary<string, string> ConsumerConfig,
    IReadOnlyDictionary<string, string> ProducerConfig)
{
    public const string DefaultBootstrapServers = "localhost:9092";
    public const string ConsumerConfigSection = "Aspire:Confluent:Kafka:Consumer:Config";
    public const string ProducerConfigSection = "Aspire:Confluent:Kafka:Producer:Config";

    public static KafkaSourceSettings FromConfiguration(IConfiguration configuration, AggregatorOptions options) =>
        new(
            configuration[EventLogFlags.KafkaBrokerKey] is { Length: > 0 } brokers ? brokers : DefaultBootstrapServers,
            configuration[EventLogFlags.KafkaTopicKey] is { Length: > 0 } topic ? topic : EventLogFlags.DefaultTopic,
            options.Group,
            Section(configuration, ConsumerConfigSection),
            Section(configuration, ProducerConfigSection));

    private static Dictionary<string, string> Section(IConfiguration configuration, string path) =>
        configuration.GetSection(path).GetChildren()
            .Where(child => child.Value is not null)
            .ToDictionary(child => child.Key, child => child.Value!, StringComparer.Ordinal);
}
