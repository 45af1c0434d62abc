using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Microsoft.Extensions.Configuration;
using Pleiades.CommandLine;
using Pleiades.Hosting.Embedded;
using Pleiades.Hosting.Kafka;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>Adds Kafka and Redis in the mode the AppHost was asked for (<c>--infra</c>).</summary>
public static class InfrastructureBuilderExtensions
{
    public const string KafkaName = "kafka";
    public const string RedisName = "redis";

    /// <summary>Adds Kafka and Redis, reporting the mode chosen (e.g. "embedded (--infra)"); throws <see cref="AppHostConfigurationException"/> with one line when the settings cannot work.</summary>
    public static PleiadesInfrastructure AddPleiadesInfrastructure(this IDistributedApplicationBuilder builder, Action<string>? report = null)
    {
        var settings = InfrastructureSettings.From(builder);
        var mode = ResolveMode(builder, settings.Mode, report);

        return mode switch
        {
            InfrastructureMode.Containers => AddContainers(builder, settings),
            InfrastructureMode.Embedded => AddEmbedded(builder, settings),
            _ => AddExternal(builder),
        };
    }

    private static InfrastructureMode ResolveMode(IDistributedApplicationBuilder builder, InfrastructureMode requested, Action<string>? report)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The manifest describes a deployment, where Kafka and Redis are containers (or their cloud equivalents).
            return requested == InfrastructureMode.External ? InfrastructureMode.External : InfrastructureMode.Containers;
        }

        if (requested != InfrastructureMode.Auto)
        {
            report?.Invoke($"{requested.ToString().ToLowerInvariant()} (--infra)");
            return requested;
        }

        var runtime = ContainerRuntimeProbe.FindRunningRuntime();
        var mode = runtime is null ? InfrastructureMode.Embedded : InfrastructureMode.Containers;
        report?.Invoke(runtime is null
            ? "embedded (auto: no container runtime answered; Garnet and the Kafka mock broker run inside the AppHost)"
            : $"containers (auto: {runtime} answered)");
        return mode;
    }

    private static PleiadesInfrastructure AddContainers(IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var kafka = builder.AddKafka(KafkaName);
        if (settings.KafkaDataVolume)
        {
            kafka.WithDataVolume();
        }

        if (settings.KafkaUI && builder.ExecutionContext.IsRunMode)
        {
            kafka.WithKafkaUI();
        }

        var redis = builder.AddRedis(RedisName);
        return new PleiadesInfrastructure(InfrastructureMode.Containers, kafka, redis);
    }

    private static PleiadesInfrastructure AddEmbedded(IDistributedApplicationBuilder builder, InfrastructureSettings settings)
    {
        var port = settings.EmbeddedRedisPort == 0 ? FreePort.Next() : settings.EmbeddedRedisPort;
        EnsurePortIsFree(port, "the embedded Redis (Garnet)", "--embedded-redis-port");

        var kafka = builder.AddEmbeddedKafka(KafkaName, new Dictionary<string, int>
        {
            [InfrastructureSettings.EventsTopic] = settings.KafkaPartitions,
            [InfrastructureSettings.DeadLetterTopic] = 1,
        });
        var redis = builder.AddEmbeddedRedis(RedisName, port, Path.Combine(settings.EmbeddedDataDirectory, "garnet"));
        return new PleiadesInfrastructure(InfrastructureMode.Embedded, kafka, redis)
        {
            IngestStateDirectory = Path.Combine(settings.EmbeddedDataDirectory, "ingest"),
        };
    }

    private static PleiadesInfrastructure AddExternal(IDistributedApplicationBuilder builder)
    {
        foreach (var name in (string[])[KafkaName, RedisName])
        {
            var value = builder.Configuration.GetConnectionString(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new AppHostConfigurationException(
                    $"--infra external needs ConnectionStrings:{name} (e.g. --ConnectionStrings:{name} host:port, or the ConnectionStrings__{name} environment variable)");
            }

            // Redis connection strings may carry options (password=..., ssl=true) after the addresses.
            var addresses = string.Join(',', value.Split(',', StringSplitOptions.TrimEntries).Where(p => !p.Contains('=', StringComparison.Ordinal)));
            if (HostAndPortValidator.Validate(addresses, allowList: true) is { } problem)
            {
                throw new AppHostConfigurationException($"ConnectionStrings:{name} is malformed: {problem}");
            }
        }

        return new PleiadesInfrastructure(InfrastructureMode.External, builder.AddConnectionString(KafkaName), builder.AddConnectionString(RedisName));
    }

    /// <summary>Fails at start, with the setting to change, instead of leaving a resource that never becomes healthy.</summary>
    public static void EnsurePortIsFree(int port, string user, string setting)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException)
        {
            throw new AppHostConfigurationException($"port {port} for {user} is in use: stop what holds it or choose another with {setting}");
        }
    }
}
