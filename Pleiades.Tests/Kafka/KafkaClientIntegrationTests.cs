using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Pleiades.Hosting.Embedded;
using Pleiades.Kafka;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Kafka;

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
    public void Bad_settings_are_reported_with_the_setting_to_fix(string? connectionString, string expected)
    {
        var builder = CreateBuilder(new() { ["ConnectionStrings:kafka"] = connectionString });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddKafkaConsumer<string, string>("kafka"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("no consumer group", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BootstrapServers", "bootstrap.servers")]
    [InlineData("bootstrap.servers", "bootstrap.servers")]
    [InlineData("EnableIdempotence", "enable.idempotence")]
    public void Config_keys_are_accepted_in_both_spellings(string key, string expected) =>
        Assert.Equal(expected, KafkaClientRegistration.ToLibrdkafkaKey(key));
}
