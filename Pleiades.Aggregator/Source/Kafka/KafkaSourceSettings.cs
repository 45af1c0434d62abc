using Confluent.Kafka;
using Pleiades.EventLog;
using Pleiades.EventLog.Kafka;

namespace Pleiades.Aggregator.Source.Kafka;

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
    public const string ConsumerConfigSection = "Aspire:Confluent:Kafka:Consumer:Config";
    public const string ProducerConfigSection = "Aspire:Confluent:Kafka:Producer:Config";

    public static KafkaSourceSettings FromConfiguration(IConfiguration configuration, AggregatorOptions options) =>
        new(
            configuration[EventLogFlags.KafkaBrokerKey] is { Length: > 0 } brokers ? brokers : EventLogNames.DefaultBroker,
            configuration[EventLogFlags.KafkaTopicKey] is { Length: > 0 } topic ? topic : EventLogNames.EventsTopic,
            options.Group,
            Section(configuration, ConsumerConfigSection),
            Section(configuration, ProducerConfigSection));

    /// <summary>The dead-letter producer's configuration.</summary>
    public ProducerConfig DeadLetterProducerConfig() => new(ProducerConfig.ToDictionary()) { BootstrapServers = BootstrapServers };

    /// <summary>
    /// What librdkafka refuses in the consumer the loop builds and in the dead-letter producer, each naming its section:
    /// checked at start, as the loop would otherwise meet it only when it builds its consumer, and restart forever.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (KafkaClientConfigCheck.Problem(new ConsumerConfig(ConsumerConfig.ToDictionary()), ConsumerConfigSection,
                config => KafkaConsumerDefaults.AddLoopSettings(config, this)) is { } consumer)
        {
            yield return consumer;
        }

        if (KafkaClientConfigCheck.Problem(DeadLetterProducerConfig(), ProducerConfigSection) is { } producer)
        {
            yield return producer;
        }
    }

    /// <summary>The section's librdkafka settings under librdkafka's keys (the .NET property names are accepted too).</summary>
    private static Dictionary<string, string> Section(IConfiguration configuration, string path)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in KafkaConfigSection.Read(configuration.GetSection(path)))
        {
            settings[key] = value;
        }

        return settings;
    }
}
