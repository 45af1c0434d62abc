using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pleiades.EventLog.Kafka;
using Pleiades.Hosting.Embedded;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Kafka;

[Trait("Category", "Integration")]
public sealed class KafkaClientIntegrationTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly KafkaMockCluster _cluster = KafkaMockCluster.Start();

    public void Dispose() => _cluster.Dispose();

    private static HostApplicationBuilder CreateBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddMetrics();
        return builder;
    }

    [Fact]
    public async Task Registered_producer_and_consumer_exchange_a_message_through_the_connection_string()
    {
        _cluster.CreateTopic("t", 1);
        var builder = CreateBuilder(new()
        {
            ["ConnectionStrings:kafka"] = _cluster.BootstrapServers,
            // The section's own bootstrap servers lose to the connection string.
            ["Aspire:Confluent:Kafka:Producer:Config:BootstrapServers"] = "127.0.0.1:1",
            ["Aspire:Confluent:Kafka:Producer:Config:acks"] = "all",
            ["Aspire:Confluent:Kafka:Consumer:Config:GroupId"] = "g",
            ["Aspire:Confluent:Kafka:Consumer:Config:AutoOffsetReset"] = "Earliest",
        });
        builder.AddKafkaProducer<string, string>("kafka");
        builder.AddKafkaConsumer<string, string>("kafka");

        using var host = builder.Build();
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var headers = new Headers();
        using (var activity = new Activity("test").Start())
        {
            KafkaTraceContext.Inject(headers, activity);
            await producer.ProduceAsync("t", new Message<string, string> { Key = "k", Value = "v", Headers = headers }, TestContext.Current.CancellationToken)
                .WaitAsync(Timeout, TestContext.Current.CancellationToken);

            var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();
            consumer.Subscribe("t");
            var result = consumer.Consume(Timeout);
            consumer.Close();

            Assert.Equal("v", result.Message.Value);
            Assert.Equal(activity.TraceId, KafkaTraceContext.Extract(result.Message.Headers).TraceId);
        }
    }

    [Fact]
    public async Task Health_check_is_healthy_against_the_broker_and_unhealthy_against_a_closed_port()
    {
        using var healthy = new KafkaHealthCheck(new ClientConfig { BootstrapServers = _cluster.BootstrapServers });
        using var unhealthy = new KafkaHealthCheck(new ClientConfig { BootstrapServers = "127.0.0.1:1" });
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("kafka", healthy, HealthStatus.Unhealthy, null),
        };

        Assert.Equal(HealthStatus.Healthy, (await healthy.CheckHealthAsync(context, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await unhealthy.CheckHealthAsync(context, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Health_check_of_a_producer_ignores_the_dotnet_client_only_settings()
    {
        // The Ingest's producer sets dotnet.producer.enable.delivery.report.fields, which an admin client rejects.
        using var check = new KafkaHealthCheck(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, DeliveryReportFields = "none" });
        var context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("kafka", check, HealthStatus.Unhealthy, null),
        };

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public async Task Statistics_of_a_producer_become_metrics()
    {
        _cluster.CreateTopic("s", 1);
        var builder = CreateBuilder(new()
        {
            ["ConnectionStrings:kafka"] = _cluster.BootstrapServers,
            ["Aspire:Confluent:Kafka:Producer:Config:statistics.interval.ms"] = "100",
        });
        builder.AddKafkaProducer<Null, string>("kafka");
        using var host = builder.Build();

        var sent = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KafkaStatisticsMetrics.MeterName && instrument.Name == "messaging.publish.messages")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Exchange(ref sent, value));
        listener.Start();

        var producer = host.Services.GetRequiredService<IProducer<Null, string>>();
        for (var i = 0; i < 5; i++)
        {
            await producer.ProduceAsync("s", new Message<Null, string> { Value = "x" }, TestContext.Current.CancellationToken);
        }

        await Eventually.WaitUntilAsync(
            () =>
            {
                listener.RecordObservableInstruments();
                return Interlocked.Read(ref sent) >= 5;
            },
            Timeout,
            "statistics reporting 5 messages sent");
    }

    [Theory]
    [InlineData(null, "no Kafka bootstrap servers for 'kafka'")]
    [InlineData("no-port", "Kafka connection string 'kafka' is malformed")]
    public void Bad_settings_are_reported_at_start_with_the_setting_to_fix(string? connectionString, string expected)
    {
        var builder = CreateBuilder(new() { ["ConnectionStrings:kafka"] = connectionString });
        builder.AddKafkaConsumer<string, string>("kafka");
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("no consumer group", error.Message, StringComparison.Ordinal);
    }

    /// <summary>librdkafka's refusals, found at start with the section and the property named, and the service's own defaults not run over them.</summary>
    [Theory]
    [InlineData("Producer", "LingerMs", "abc", "linger.ms: Invalid value")]
    [InlineData("Producer", "CompressionType", "zip", "compression.type: Invalid value \"zip\"")]
    [InlineData("Producer", "BatchNumMessages", "-5", "batch.num.messages: Configuration property \"batch.num.messages\" value -5 is outside allowed range")]
    [InlineData("Producer", "NoSuchProperty", "1", "no.such.property: No such configuration property")]
    [InlineData("Consumer", "FetchMaxBytes", "abc", "fetch.max.bytes: Invalid value")]
    public void A_client_setting_librdkafka_refuses_is_reported_at_start(string client, string key, string value, string expected)
    {
        var builder = CreateBuilder(new()
        {
            ["ConnectionStrings:kafka"] = _cluster.BootstrapServers,
            ["Aspire:Confluent:Kafka:Consumer:Config:GroupId"] = "g",
            [$"Aspire:Confluent:Kafka:{client}:Config:{key}"] = value,
        });
        var configured = false;
        if (client == "Producer")
        {
            builder.AddKafkaProducer<Null, string>("kafka", settings => configured = settings.Config.LingerMs is null or > 0);
        }
        else
        {
            builder.AddKafkaConsumer<Null, string>("kafka", settings => configured = settings.Config.FetchMaxBytes is null or > 0);
        }

        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"Aspire:Confluent:Kafka:{client}:Config:", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.False(configured);
    }

    /// <summary>What librdkafka refuses only in combination with the service's own defaults is found too.</summary>
    [Fact]
    public void A_client_setting_that_conflicts_with_the_services_defaults_is_reported_at_start()
    {
        var builder = CreateBuilder(new()
        {
            ["ConnectionStrings:kafka"] = _cluster.BootstrapServers,
            ["Aspire:Confluent:Kafka:Producer:Config:Acks"] = "0",
        });
        builder.AddKafkaProducer<Null, string>("kafka", settings => settings.Config.EnableIdempotence ??= true);
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("acks", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Good_client_settings_pass_the_start_check()
    {
        var builder = CreateBuilder(new()
        {
            ["ConnectionStrings:kafka"] = _cluster.BootstrapServers,
            ["Aspire:Confluent:Kafka:Producer:Config:LingerMs"] = "20",
            ["Aspire:Confluent:Kafka:Producer:Config:compression.type"] = "zstd",
            ["Aspire:Confluent:Kafka:Consumer:Config:GroupId"] = "g",
            ["Aspire:Confluent:Kafka:Consumer:Config:FetchMaxBytes"] = "1048576",
        });
        builder.AddKafkaProducer<Null, string>("kafka");
        builder.AddKafkaConsumer<Null, string>("kafka");
        using var host = builder.Build();

        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("BootstrapServers", "bootstrap.servers")]
    [InlineData("bootstrap.servers", "bootstrap.servers")]
    [InlineData("EnableIdempotence", "enable.idempotence")]
    public void Config_keys_are_accepted_in_both_spellings(string key, string expected) =>
        Assert.Equal(expected, KafkaConfigSection.ToLibrdkafkaKey(key));
}
