using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.EventLog.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers a Kafka producer the way Aspire.Confluent.Kafka does (same method and configuration names,
/// so the official package can replace this one): settings from <c>Aspire:Confluent:Kafka:Producer</c>,
/// the connection string wins, librdkafka's log and statistics feed logging and metrics, a health check.
/// </summary>
public static class AspireKafkaProducerExtensions
{
    public const string DefaultConfigSectionName = "Aspire:Confluent:Kafka:Producer";

    /// <summary>Registers <see cref="IProducer{TKey, TValue}"/> as a singleton for the connection <paramref name="connectionName"/>.</summary>
    public static void AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = KafkaClientRegistration.BindSettings(builder, DefaultConfigSectionName, connectionName, new KafkaProducerSettings(), configureSettings);

        builder.Services.AddSingleton<IProducer<TKey, TValue>>(services =>
        {
            var producerBuilder = new ProducerBuilder<TKey, TValue>(settings.Config);
            configureBuilder?.Invoke(producerBuilder);
            KafkaClientRegistration.Instrument<IProducer<TKey, TValue>>(
                services, settings, h => producerBuilder.SetLogHandler(h), h => producerBuilder.SetStatisticsHandler(h));
            return producerBuilder.Build();
        });

        KafkaClientRegistration.AddTelemetryAndHealth(builder, settings, $"Kafka.Producer.{connectionName}");
    }

    /// <summary>
    /// Binds and validates (at start, with the service's other settings) the same settings as
    /// <see cref="AddKafkaProducer{TKey, TValue}"/> and registers the health check unless disabled, for a service that
    /// builds its producer itself: the settings it builds from.
    /// </summary>
    public static KafkaProducerSettings AddKafkaProducerSettings(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = KafkaClientRegistration.BindSettings(builder, DefaultConfigSectionName, connectionName, new KafkaProducerSettings(), configureSettings);
        KafkaClientRegistration.AddHealthCheck(builder, settings, $"Kafka.Producer.{connectionName}");
        return settings;
    }
}
