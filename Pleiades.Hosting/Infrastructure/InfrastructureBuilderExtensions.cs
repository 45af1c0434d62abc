using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Pleiades.CommandLine;
using Pleiades.EventLog;
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
        var eventLog = ResolveEventLog(builder, settings, mode, report);
        var aggregators = settings.Aggregators ?? (eventLog == EventLogKind.File ? 1 : 2);

        var infrastructure = mode switch
        {
            InfrastructureMode.Containers => AddContainers(builder, settings, eventLog),
            InfrastructureMode.Embedded => AddEmbedded(builder, settings, eventLog),
            _ => AddExternal(builder, eventLog),
        };
        return infrastructure with
        {
            Aggregators = aggregators,
            FileLogDirectory = eventLog == EventLogKind.File ? Path.Combine(settings.EmbeddedDataDirectory, "events") : null,
        };
    }

    /// <summary>
    /// The file log in embedded mode (the embedded broker keeps about 5 MiB per partition and would drop a backlog),
    /// Kafka elsewhere; <c>--event-log</c> chooses otherwise. A deployment manifest always describes Kafka.
    /// </summary>
    private static EventLogKind ResolveEventLog(IDistributedApplicationBuilder builder, InfrastructureSettings settings, InfrastructureMode mode, Action<string>? report)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return EventLogKind.Kafka;
        }

        var eventLog = settings.EventLog ?? (mode == InfrastructureMode.Embedded ? EventLogKind.File : EventLogKind.Kafka);
        if (eventLog == EventLogKind.File && settings.Aggregators is { } aggregators and not 1)
        {
            throw new AppHostConfigurationException(
                $"--aggregators {aggregators} needs --event-log kafka: the file log is read by exactly one Aggregator");
        }

        if (eventLog == EventLogKind.Kafka && mode == InfrastructureMode.Embedded)
        {
            report?.Invoke("WARNING: --event-log kafka in embedded mode: the embedded broker keeps only about 5 MiB per partition in memory "
                + "and drops older messages, so a backlog larger than that is lost (the Aggregators report it as lost events); "
                + "it is meant for small backlogs and tests. Use the default --event-log file to keep every event.");
        }

        return eventLog;
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
            ? "embedded (auto: no container runtime answered; Garnet, and with --event-log kafka the Kafka mock broker, run inside the AppHost)"
            : $"containers (auto: {runtime} answered)");
        return mode;
    }

    private static PleiadesInfrastructure AddContainers(IDistributedApplicationBuilder builder, InfrastructureSettings settings, EventLogKind eventLog)
    {
        IResourceBuilder<IResourceWithConnectionString>? kafka = null;
        if (eventLog == EventLogKind.Kafka)
        {
            var container = builder.AddKafka(KafkaName);
            if (settings.KafkaDataVolume)
            {
                container.WithDataVolume();
            }

            if (settings.KafkaUI && builder.ExecutionContext.IsRunMode)
            {
                container.WithKafkaUI();
            }

            kafka = container;
        }

        var redis = builder.AddRedis(RedisName);
        return new PleiadesInfrastructure(InfrastructureMode.Containers, eventLog, kafka, redis);
    }

    private static PleiadesInfrastructure AddEmbedded(IDistributedApplicationBuilder builder, InfrastructureSettings settings, EventLogKind eventLog)
    {
        var port = settings.EmbeddedRedisPort == 0 ? FreePort.Next() : settings.EmbeddedRedisPort;
        EnsurePortIsFree(port, "the embedded Redis (Garnet)", "--embedded-redis-port");

        var kafka = eventLog == EventLogKind.Kafka
            ? builder.AddEmbeddedKafka(KafkaName, new Dictionary<string, int>
            {
                [EventLogNames.EventsTopic] = settings.KafkaPartitions,
                [EventLogNames.DeadLetterTopic] = 1,
            })
            : null;
        var redis = builder.AddEmbeddedRedis(RedisName, port, Path.Combine(settings.EmbeddedDataDirectory, "garnet"));
        return new PleiadesInfrastructure(InfrastructureMode.Embedded, eventLog, kafka, redis)
        {
            IngestStateDirectory = Path.Combine(settings.EmbeddedDataDirectory, "ingest"),
        };
    }

    private static PleiadesInfrastructure AddExternal(IDistributedApplicationBuilder builder, EventLogKind eventLog)
    {
        string[] names = eventLog == EventLogKind.Kafka ? [KafkaName, RedisName] : [RedisName];
        foreach (var name in names)
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

        var kafka = eventLog == EventLogKind.Kafka ? builder.AddConnectionString(KafkaName) : null;
        return new PleiadesInfrastructure(InfrastructureMode.External, eventLog, kafka, builder.AddConnectionString(RedisName));
    }

    /// <summary>Fails at start, with the setting to change, instead of leaving a resource that never becomes healthy.</summary>
    public static void EnsurePortIsFree(int port, string user, string setting)
    {
        if (ListenAddresses.IsTaken(new IPEndPoint(IPAddress.Loopback, port)))
        {
            throw new AppHostConfigurationException($"port {port} for {user} is in use: stop what holds it or choose another with {setting}");
        }
    }
}
