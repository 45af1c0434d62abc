using Confluent.Kafka;
using Pleiades.CommandLine;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// What producer and consumer settings share, as in Aspire.Confluent.Kafka: the connection string wins over
/// <c>Config:BootstrapServers</c>, and each of metrics, health checks and tracing can be turned off.
/// </summary>
public abstract class KafkaClientSettings
{
    /// <summary>Bootstrap servers, <c>HOST:PORT[,HOST:PORT...]</c>; from <c>ConnectionStrings:{name}</c> when present.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Turns off metrics from librdkafka's statistics.</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>Turns off the health check that asks the brokers for metadata.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Turns off the Kafka activity source (trace context still rides in message headers).</summary>
    public bool DisableTracing { get; set; }

    /// <summary>The librdkafka configuration of the client.</summary>
    public abstract ClientConfig ClientConfig { get; }

    internal void Consolidate()
    {
        if (ConnectionString is not null)
        {
            ClientConfig.BootstrapServers = ConnectionString;
        }

        if (!DisableMetrics)
        {
            ClientConfig.StatisticsIntervalMs ??= 1000;
        }
    }

    /// <summary>Every problem with these settings, each a sentence naming the setting to fix; empty when they are good.</summary>
    internal virtual IEnumerable<string> Problems(string connectionName)
    {
        var servers = ClientConfig.BootstrapServers;
        if (string.IsNullOrWhiteSpace(servers))
        {
            yield return $"no Kafka bootstrap servers for '{connectionName}': set ConnectionStrings:{connectionName} (or --kafka.broker)";
        }
        else if (HostAndPortValidator.Validate(servers, allowList: true) is { } problem)
        {
            yield return $"Kafka connection string '{connectionName}' is malformed: {problem}";
        }
    }
}

/// <summary>Settings of a Kafka producer, bound from <c>Aspire:Confluent:Kafka:Producer</c>.</summary>
public sealed class KafkaProducerSettings : KafkaClientSettings
{
    /// <summary>The producer's librdkafka configuration (<c>Config</c> sub-section).</summary>
    public ProducerConfig Config { get; } = new();

    public override ClientConfig ClientConfig => Config;
}

/// <summary>Settings of a Kafka consumer, bound from <c>Aspire:Confluent:Kafka:Consumer</c>.</summary>
public sealed class KafkaConsumerSettings : KafkaClientSettings
{
    /// <summary>The consumer's librdkafka configuration (<c>Config</c> sub-section).</summary>
    public ConsumerConfig Config { get; } = new();

    public override ClientConfig ClientConfig => Config;

    internal override IEnumerable<string> Problems(string connectionName)
    {
        foreach (var problem in base.Problems(connectionName))
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(Config.GroupId))
        {
            yield return $"no consumer group for '{connectionName}': set Aspire:Confluent:Kafka:Consumer:Config:GroupId";
        }
    }
}
