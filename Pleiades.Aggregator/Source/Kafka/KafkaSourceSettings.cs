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
    /// <summary>The source's settings from the consumer and producer settings the Kafka client registration bound and checked, and the Aggregator's options.</summary>
    public static KafkaSourceSettings From(KafkaConsumerSettings consumer, KafkaProducerSettings producer, AggregatorOptions options) =>
        new(
            consumer.Config.BootstrapServers ?? consumer.ConnectionString ?? EventLogNames.DefaultBroker,
            options.Topic,
            options.Group,
            consumer.Config.ToDictionary(StringComparer.Ordinal),
            producer.Config.ToDictionary(StringComparer.Ordinal));

    /// <summary>The dead-letter producer's configuration.</summary>
    public ProducerConfig DeadLetterProducerConfig() => new(ProducerConfig.ToDictionary()) { BootstrapServers = BootstrapServers };

    /// <summary>
    /// What librdkafka refuses in the consumer the loop builds (the user's settings with the loop's own): checked at
    /// start, as the loop would otherwise meet it only when it builds its consumer, and restart forever. The user's
    /// settings alone are checked where they are bound.
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (KafkaClientConfigCheck.Problem(new ConsumerConfig(ConsumerConfig.ToDictionary()), AspireKafkaConsumerConfigSection,
                config => KafkaConsumerDefaults.AddLoopSettings(config, this)) is { } consumer)
        {
            yield return consumer;
        }
    }

    private const string AspireKafkaConsumerConfigSection = Microsoft.Extensions.Hosting.AspireKafkaConsumerExtensions.DefaultConfigSectionName + ":Config";
}
