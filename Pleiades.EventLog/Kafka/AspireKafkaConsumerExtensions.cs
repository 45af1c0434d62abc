using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.EventLog.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers a Kafka consumer the way Aspire.Confluent.Kafka does (same method and configuration names,
/// so the official package can replace this one): settings from <c>Aspire:Confluent:Kafka:Consumer</c>,
/// the connection string wins, librdkafka's log and statistics feed logging and metrics, a health check.
/// </summary>
public static class AspireKafkaConsumerExtensions
{
    public const string DefaultConfigSectionName = "Aspire:Confluent:Kafka:Consumer";

    /// <summary>Registers <see cref="IConsumer{TKey, TValue}"/> as a singleton for the connection <paramref name="connectionName"/>.</summary>
    public static void AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = KafkaClientRegistration.BindSettings(builder, DefaultConfigSectionName, connectionName, new KafkaConsumerSettings(), configureSettings);

        builder.Services.AddSingleton<IConsumer<TKey, TValue>>(services =>
        {
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(settings.Config);
            configureBuilder?.Invoke(consumerBuilder);
            KafkaClientRegistration.Instrument<IConsumer<TKey, TValue>>(
                services, settings, h => consumerBuilder.SetLogHandler(h), h => consumerBuilder.SetStatisticsHandler(h));
            return consumerBuilder.Build();
        });

        KafkaClientRegistration.AddTelemetryAndHealth(builder, settings, $"Kafka.Consumer.{connectionName}");
    }

    /// <summary>
    /// Binds and validates (at start, with the service's other settings) the same settings as
    /// <see cref="AddKafkaConsumer{TKey, TValue}"/> and registers the consumer's health check, for a service that
    /// builds its consumer itself (the Aggregator's loop owns its consumer and rebalance handlers): the settings it builds from.
    /// </summary>
    public static KafkaConsumerSettings AddKafkaConsumerSettings(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = KafkaClientRegistration.BindSettings(builder, DefaultConfigSectionName, connectionName, new KafkaConsumerSettings(), configureSettings);
        KafkaClientRegistration.AddHealthCheck(builder, settings, $"Kafka.Consumer.{connectionName}");
        return settings;
    }
}
