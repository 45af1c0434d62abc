using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Pleiades.Hosting.Embedded;
using Pleiades.Hosting.Kafka;

namespace Pleiades.Tests.AppHost;

/// <summary>The application model the AppHost declares, inspected without starting anything.</summary>
public class AppHostModelTests
{
    private static async Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pleiades_AppHost>(args, TestContext.Current.CancellationToken);

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(r => r.Name == name);

    private static IEnumerable<string> WaitsFor(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name);

    // The obsolete helper is still the simplest way to see a resource's environment as the manifest writes it.
#pragma warning disable CS0618
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResource resource) =>
        (await ((IResourceWithEnvironment)resource).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
#pragma warning restore CS0618

    [Fact]
    public async Task Embedded_mode_runs_kafka_and_redis_in_process_with_connection_strings()
    {
        await using var builder = await CreateAsync("--infra", "embedded", "--embedded-redis-port", "0", "--event-log", "kafka");

        Assert.IsType<EmbeddedKafkaResource>(Resource(builder, "kafka"));
        var redis = Assert.IsType<EmbeddedRedisResource>(Resource(builder, "redis"));
        Assert.Equal($"127.0.0.1:{redis.Port}", await redis.ConnectionStringExpression.GetValueAsync(TestContext.Current.CancellationToken));
        Assert.All(new[] { "kafka", "redis" }, name => Assert.NotEmpty(Resource(builder, name).Annotations.OfType<HealthCheckAnnotation>()));
    }

    [Fact]
    public async Task Containers_mode_declares_kafka_and_redis_containers()
    {
        await using var builder = await CreateAsync("--infra", "containers");

        var kafka = Assert.IsType<KafkaServerResource>(Resource(builder, "kafka"));
        var image = kafka.Annotations.OfType<ContainerImageAnnotation>().Single();
        Assert.Equal("confluentinc/confluent-local", image.Image);
        Assert.NotEmpty(kafka.Annotations.OfType<HealthCheckAnnotation>());
        Assert.IsType<RedisResource>(Resource(builder, "redis"));
    }

    [Fact]
    public async Task Services_reference_and_wait_for_what_they_use_and_have_health_checks()
    {
        await using var builder = await CreateAsync("--infra", "embedded", "--embedded-redis-port", "0", "--event-log", "kafka");

        Assert.Equal(["kafka"], WaitsFor(Resource(builder, "ingest")));
        Assert.Equal(["kafka", "redis"], WaitsFor(Resource(builder, "aggregator")).Order());
        Assert.Equal(["redis"], WaitsFor(Resource(builder, "web")));
        foreach (var name in new[] { "ingest", "aggregator", "web" })
        {
            Assert.NotEmpty(Resource(builder, name).Annotations.OfType<HealthCheckAnnotation>());
        }
    }

    [Fact]
    public async Task Embedded_mode_uses_the_file_log_under_the_embedded_data_folder_with_one_aggregator_and_no_broker()
    {
        await using var builder = await CreateAsync("--infra", "embedded", "--embedded-redis-port", "0", "--embedded-data", "relative-data");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "kafka");
        var events = Path.Combine(Path.GetFullPath("relative-data"), "events");
        foreach (var name in new[] { "ingest", "aggregator" })
        {
            var environment = await EnvironmentOfAsync(Resource(builder, name));
            Assert.Equal("true", environment["EventLog__File__Enabled"]);
            Assert.Equal(events, environment["EventLog__File__Directory"]);
            Assert.DoesNotContain("ConnectionStrings__kafka", environment.Keys);
        }

        Assert.Equal(1, Resource(builder, "aggregator").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.Equal(["redis"], WaitsFor(Resource(builder, "aggregator")));
    }

    [Fact]
    public async Task Embedded_mode_with_the_kafka_event_log_runs_the_embedded_broker_and_the_asked_number_of_aggregators()
    {
        await using var builder = await CreateAsync("--infra", "embedded", "--embedded-redis-port", "0", "--event-log", "kafka", "--aggregators", "3");

        Assert.IsType<EmbeddedKafkaResource>(Resource(builder, "kafka"));
        Assert.Equal(3, Resource(builder, "aggregator").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.DoesNotContain("EventLog__File__Enabled", (await EnvironmentOfAsync(Resource(builder, "ingest"))).Keys);
    }

    [Fact]
    public async Task Aggregator_runs_two_replicas_and_web_has_the_public_port()
    {
        await using var builder = await CreateAsync("--infra", "containers");

        Assert.Equal(2, Resource(builder, "aggregator").Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        var http = Resource(builder, "web").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");
        Assert.Equal(8080, http.Port);
        Assert.True(http.IsExternal);
    }

    [Fact]
    public async Task Stream_url_and_connection_strings_reach_the_services()
    {
        await using var builder = await CreateAsync("--infra", "containers", "--stream-url", "http://127.0.0.1:5999/v2/stream/recentchange");

        var ingest = await EnvironmentOfAsync(Resource(builder, "ingest"));
        Assert.Equal("http://127.0.0.1:5999/v2/stream/recentchange", ingest["Ingest__StreamUrl"]);
        Assert.Equal("{kafka.connectionString}", ingest["ConnectionStrings__kafka"]);

        var aggregator = await EnvironmentOfAsync(Resource(builder, "aggregator"));
        Assert.Equal("{kafka.connectionString}", aggregator["ConnectionStrings__kafka"]);
        Assert.Equal("{redis.connectionString}", aggregator["ConnectionStrings__redis"]);
    }

    [Fact]
    public async Task Embedded_mode_keeps_the_ingests_resume_state_beside_the_embedded_data()
    {
        // Relative on purpose: the Ingest runs in its own directory, so it must be handed an absolute path.
        await using var embedded = await CreateAsync("--infra", "embedded", "--embedded-redis-port", "0", "--embedded-data", "relative-data");
        await using var containers = await CreateAsync("--infra", "containers");

        var ingest = await EnvironmentOfAsync(Resource(embedded, "ingest"));
        Assert.Equal(Path.Combine(Path.GetFullPath("relative-data"), "ingest"), ingest["Ingest__StateDirectory"]);
        // With a broker that keeps its data, the Ingest resumes from the topic; its own default state place is fine.
        Assert.DoesNotContain("Ingest__StateDirectory", (await EnvironmentOfAsync(Resource(containers, "ingest"))).Keys);
    }

    [Fact]
    public async Task External_mode_takes_connection_strings_from_configuration()
    {
        await using var builder = await CreateAsync("--infra", "external", "--ConnectionStrings:kafka", "k1:9092,k2:9092", "--ConnectionStrings:redis", "r:6379,password=secret");

        var kafka = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "kafka"));
        Assert.Equal("k1:9092,k2:9092", await kafka.GetConnectionStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Replay_option_runs_the_replay_tool_and_points_the_ingest_at_it()
    {
        await using var builder = await CreateAsync("--infra", "containers", "--replay", "data/captures/wiki-visualizer-2022.sse");

        var replay = Resource(builder, "replay");
        Assert.Contains("replay", WaitsFor(Resource(builder, "ingest")));
        var ingest = await EnvironmentOfAsync(Resource(builder, "ingest"));
        Assert.Equal("{replay.bindings.http.url}/v2/stream/recentchange", ingest["Ingest__StreamUrl"]);
        Assert.NotEmpty(replay.Annotations.OfType<HealthCheckAnnotation>());
    }
}
