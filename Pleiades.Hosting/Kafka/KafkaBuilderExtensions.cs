using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pleiades.EventLog.Kafka;

namespace Pleiades.Hosting.Kafka;

/// <summary>
/// Kafka as a container resource, equivalent to Aspire.Hosting.Kafka (not served here): the
/// <c>confluentinc/confluent-local</c> image runs one KRaft broker; a host listener for the services and an
/// internal one for containers; a health check that asks the broker for metadata; an optional data volume
/// and Kafka UI. Names follow Aspire's so the official package can replace this file.
/// </summary>
public static class KafkaBuilderExtensions
{
    private const int KafkaBrokerPort = 9092;
    private const int KafkaInternalBrokerPort = 9093;
    private const int KafkaUIPort = 8080;
    private const string DataTarget = "/var/lib/kafka/data";

    public static IResourceBuilder<KafkaServerResource> AddKafka(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var kafka = new KafkaServerResource(name);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(kafka, async (_, ct) =>
            connectionString = await kafka.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false));

        var healthCheckKey = $"{name}_metadata";
        KafkaHealthCheck? healthCheck = null;
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => healthCheck ??= new KafkaHealthCheck(new ClientConfig
            {
                BootstrapServers = connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            }),
            failureStatus: default,
            tags: default));

        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: KafkaBrokerPort, port: port, name: KafkaServerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: KafkaInternalBrokerPort, name: KafkaServerResource.InternalEndpointName)
            .WithImage(KafkaContainerImageTags.Image, KafkaContainerImageTags.Tag)
            .WithImageRegistry(KafkaContainerImageTags.Registry)
            .WithEnvironment(context => ConfigureListeners(context, kafka))
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Keeps the broker's data in a named volume so topics survive a restart of the container.</summary>
    public static IResourceBuilder<KafkaServerResource> WithDataVolume(this IResourceBuilder<KafkaServerResource> builder, string? name = null) =>
        builder
            .WithEnvironment("KAFKA_LOG_DIRS", DataTarget)
            .WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataTarget);

    /// <summary>Adds a Kafka UI container (run mode only) showing this broker.</summary>
    public static IResourceBuilder<KafkaServerResource> WithKafkaUI(this IResourceBuilder<KafkaServerResource> builder, int? port = null)
    {
        var kafka = builder.Resource;
        var ui = new KafkaUIContainerResource($"{kafka.Name}-ui");
        builder.ApplicationBuilder.AddResource(ui)
            .WithImage(KafkaContainerImageTags.KafkaUiImage, KafkaContainerImageTags.KafkaUiTag)
            .WithImageRegistry(KafkaContainerImageTags.Registry)
            .WithHttpEndpoint(port: port, targetPort: KafkaUIPort)
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", kafka.Name)
            // Containers reach the broker by its resource name on the Aspire network, at the internal listener.
            .WithEnvironment(context => context.EnvironmentVariables["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"] =
                ReferenceExpression.Create($"{kafka.Name}:{kafka.InternalEndpoint.Property(EndpointProperty.TargetPort)}"))
            .WaitFor(builder)
            .ExcludeFromManifest();
        return builder;
    }

    private static void ConfigureListeners(EnvironmentCallbackContext context, KafkaServerResource kafka)
    {
        // confluent-local starts a KRaft broker; these add a host listener and an internal one for containers.
        context.EnvironmentVariables["KAFKA_LISTENERS"] =
            $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{KafkaBrokerPort},PLAINTEXT_INTERNAL://0.0.0.0:{KafkaInternalBrokerPort}";
        context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
            "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";

        var primary = kafka.PrimaryEndpoint;
        var internalEndpoint = kafka.InternalEndpoint;

        // Clients must be told addresses they can reach: the host's port for the services, the resource
        // name for other containers (run mode), the endpoints' own addresses when deployed.
        context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsRunMode
            ? ReferenceExpression.Create($"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{primary.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{kafka.Name}:{internalEndpoint.Property(EndpointProperty.TargetPort)}")
            : ReferenceExpression.Create($"PLAINTEXT://{primary.Property(EndpointProperty.Host)}:29092,PLAINTEXT_HOST://{primary.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{internalEndpoint.Property(EndpointProperty.HostAndPort)}");
    }
}
