using System.Collections.Immutable;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Confluent.Kafka;
using Garnet.common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pleiades.EventLog.Kafka;

namespace Pleiades.Hosting.Embedded;

/// <summary>
/// Adds the embedded infrastructure to the application model: servers that run inside the AppHost process,
/// for machines without a container runtime. Each is a resource of its own on the dashboard, with state,
/// logs, a health check and a connection string, so services reference and wait for it as for a container.
/// </summary>
public static class EmbeddedInfrastructureExtensions
{
    /// <summary>Adds Garnet on 127.0.0.1:<paramref name="port"/>, keeping its data in <paramref name="dataDirectory"/>.</summary>
    public static IResourceBuilder<EmbeddedRedisResource> AddEmbeddedRedis(
        this IDistributedApplicationBuilder builder, string name, int port, string dataDirectory)
    {
        var resource = new EmbeddedRedisResource(name, port, dataDirectory);
        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey, _ => new RedisPingHealthCheck(port), failureStatus: default, tags: default));

        RestartableServer? garnet = null;
        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, async (e, ct) =>
        {
            garnet = new RestartableServer(() =>
            {
                var server = GarnetServerFactory.Create(port, dataDirectory, new ResourceLoggerFactory(e.Logger));
                server.Start();
                e.Logger.LogInformation("Garnet is listening on 127.0.0.1:{Port}; data in {Directory}", port, dataDirectory);
                return server;
            });
            await StartAsync(e, resource, "Garnet", $"127.0.0.1:{port}", () =>
            {
                garnet.Start();
                return garnet;
            }).ConfigureAwait(false);
        });

        return builder.AddResource(resource)
            .WithInitialState(InitialState("Garnet"))
            .WithHealthCheck(healthCheckKey)
            .WithCommand(KnownResourceCommands.RestartCommand, "Restart", context => RestartAsync(context, resource, garnet), new CommandOptions
            {
                Description = "Stops Garnet and starts it again on the same port; it recovers the counters from its append-only file",
                IconName = "ArrowCounterclockwise",
                UpdateState = state => state.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            })
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Restarts Garnet in place: the services lose their connections as when a Redis server restarts, and find the
    /// same port and the same counters again (everything acknowledged was committed to the append-only file).
    /// </summary>
    private static async Task<ExecuteCommandResult> RestartAsync(ExecuteCommandContext context, EmbeddedRedisResource resource, RestartableServer? garnet)
    {
        if (garnet is null)
        {
            return CommandResults.Failure("Garnet has not started.");
        }

        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Stopping }).ConfigureAwait(false);
        try
        {
            garnet.Restart();
        }
        catch (Exception ex) when (ex is InvalidOperationException or GarnetException or IOException)
        {
            await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart }).ConfigureAwait(false);
            return CommandResults.Failure(ex.Message);
        }

        await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
        return CommandResults.Success();
    }

    /// <summary>Adds librdkafka's mock cluster with <paramref name="topics"/> (name to partition count) created at start.</summary>
    public static IResourceBuilder<EmbeddedKafkaResource> AddEmbeddedKafka(
        this IDistributedApplicationBuilder builder, string name, IReadOnlyDictionary<string, int> topics)
    {
        var resource = new EmbeddedKafkaResource(name, topics);
        var healthCheckKey = $"{name}_metadata";
        KafkaHealthCheck? healthCheck = null;
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => healthCheck ?? throw new InvalidOperationException($"The embedded Kafka '{name}' has not started."),
            failureStatus: default,
            tags: default));

        builder.Eventing.Subscribe<InitializeResourceEvent>(resource, async (e, ct) =>
        {
            await StartAsync(e, resource, "librdkafka mock cluster", null, () =>
            {
                var cluster = KafkaMockCluster.Start();
                foreach (var (topic, partitions) in topics)
                {
                    cluster.CreateTopic(topic, partitions);
                    e.Logger.LogInformation("Created topic {Topic} with {Partitions} partitions", topic, partitions);
                }

                resource.SetBootstrapServers(cluster.BootstrapServers);
                healthCheck = new KafkaHealthCheck(new ClientConfig { BootstrapServers = cluster.BootstrapServers });
                e.Logger.LogInformation(
                    "Kafka mock broker is listening on {BootstrapServers}. It keeps messages in memory only (about 5 MiB per partition) and forgets them when the AppHost stops.",
                    cluster.BootstrapServers);
                return cluster;
            }).ConfigureAwait(false);
        });

        return builder.AddResource(resource)
            .WithInitialState(InitialState("Kafka (embedded)"))
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static CustomResourceSnapshot InitialState(string resourceType) => new()
    {
        ResourceType = resourceType,
        State = KnownResourceStates.NotStarted,
        Properties = [],
    };

    /// <summary>Starts a server when the orchestrator initialises its resource, publishes its state, and stops it with the AppHost.</summary>
    private static async Task StartAsync(InitializeResourceEvent e, IResourceWithConnectionString resource, string source, string? address, Func<IDisposable> start)
    {
        await e.Eventing.PublishAsync(new BeforeResourceStartedEvent(resource, e.Services)).ConfigureAwait(false);
        await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Starting }).ConfigureAwait(false);

        IDisposable server;
        try
        {
            server = start();
        }
        catch (Exception ex) when (ex is InvalidOperationException or GarnetException or IOException)
        {
            e.Logger.LogError("{Resource} could not start: {Reason}", resource.Name, ex.Message);
            await e.Notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.FailedToStart }).ConfigureAwait(false);
            return;
        }

        var lifetime = e.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(() =>
        {
            e.Logger.LogInformation("Stopping {Resource}", resource.Name);
            server.Dispose();
        });

        var connectionString = await resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None).ConfigureAwait(false);
        await e.Eventing.PublishAsync(new ConnectionStringAvailableEvent(resource, e.Services)).ConfigureAwait(false);
        await e.Notifications.PublishUpdateAsync(resource, s => s with
        {
            State = KnownResourceStates.Running,
            StartTimeStamp = DateTime.UtcNow,
            Properties =
            [
                .. s.Properties,
                new ResourcePropertySnapshot(CustomResourceKnownProperties.Source, source),
                new ResourcePropertySnapshot("ConnectionString", connectionString ?? address ?? ""),
            ],
            Urls = ImmutableArray<UrlSnapshot>.Empty,
        }).ConfigureAwait(false);
    }
}
