using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.AppHost;

/// <summary>Starts the whole AppHost once in embedded mode (no container runtime) and shares it between tests.</summary>
public sealed class EmbeddedAppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    public static readonly string[] ResourceNames = ["kafka", "redis", "ingest", "aggregator", "web"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pleiades-apphost-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pleiades_AppHost>(
            // The Kafka event log, whose broker and consumer group these tests check (the file log is the default).
            ["--infra", "embedded", "--event-log", "kafka", "--embedded-redis-port", "0", "--embedded-data", _dataDirectory,
             // Nothing reaches the internet from tests: the Ingest points at a closed local port.
             "--stream-url", "http://127.0.0.1:9/v2/stream/recentchange"],
            TestContext.Current.CancellationToken);
        App = await builder.BuildAsync().WaitAsync(Timeout);
        await App.StartAsync().WaitAsync(Timeout);
        foreach (var name in ResourceNames)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name).WaitAsync(Timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}

[Trait("Category", "Integration")]
public sealed class EmbeddedAppHostTests(EmbeddedAppHostFixture fixture) : IClassFixture<EmbeddedAppHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_resource_and_replica_is_running_and_healthy()
    {
        // WatchAsync replays the current state of every instance (each replica has its own) before any change.
        var latest = new Dictionary<string, ResourceEvent>();
        using var replay = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        replay.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var resourceEvent in fixture.App.ResourceNotifications.WatchAsync(replay.Token))
            {
                latest[resourceEvent.ResourceId] = resourceEvent;
            }
        }
        catch (OperationCanceledException) when (replay.IsCancellationRequested)
        {
        }

        var instances = latest.Values.Where(e => EmbeddedAppHostFixture.ResourceNames.Contains(e.Resource.Name)).ToList();
        Assert.All(instances, e =>
        {
            Assert.Equal(KnownResourceStates.Running, e.Snapshot.State?.Text);
            Assert.Equal(HealthStatus.Healthy, e.Snapshot.HealthStatus);
        });

        // Two aggregator replicas beside one instance of everything else.
        Assert.Equal(2, instances.Count(e => e.Resource.Name == "aggregator"));
        Assert.Equal(EmbeddedAppHostFixture.ResourceNames.Length + 1, instances.Count);
    }

    [Fact]
    public async Task Web_answers_with_health_and_prometheus_metrics()
    {
        using var client = fixture.App.CreateHttpClient("web");

        Assert.Equal("Healthy", await client.GetStringAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken));

        // The contract's series, counting the request just made (recorded once its response has gone, so read until it shows).
        var metrics = "";
        await Eventually.WaitUntilAsync(
            async () =>
            {
                metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
                return MetricsText.OptionalValue(metrics, "pleiades_web_http_response_total", "path=\"/health\"") >= 1;
            },
            Timeout,
            "/metrics counting the /health request");
        Assert.Contains("# TYPE pleiades_web_http_response_total counter", metrics, StringComparison.Ordinal);
        Assert.True(MetricsText.Value(metrics, "pleiades_web_http_duration_seconds_count", "path=\"/health\"") >= 1);
    }

    [Fact]
    public async Task Embedded_redis_answers_the_connection_string_the_services_get()
    {
        var connectionString = await fixture.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var db = redis.GetDatabase();
        Assert.Equal(5, await db.HashIncrementAsync("apphost-test", "field", 5));
        await db.KeyDeleteAsync("apphost-test");
    }

    [Fact]
    public async Task Embedded_kafka_has_the_events_topic_with_several_partitions()
    {
        var connectionString = await fixture.App.GetConnectionStringAsync("kafka", TestContext.Current.CancellationToken);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = connectionString }).Build();

        var metadata = admin.GetMetadata("pleiades-events", Timeout);

        Assert.Equal(4, metadata.Topics.Single().Partitions.Count);
    }
}
