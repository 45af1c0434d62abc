using Pleiades.EventLog;
using Pleiades.Hosting.Infrastructure;

namespace Pleiades.AppHost;

/// <summary>Points the Ingest and the Aggregators at the event log the infrastructure chose (<c>--event-log</c>).</summary>
internal static class EventLogWiring
{
    public static IResourceBuilder<ProjectResource> UseEventLog(this IResourceBuilder<ProjectResource> service, PleiadesInfrastructure infrastructure)
    {
        if (infrastructure.Kafka is { } kafka)
        {
            return service.WithReference(kafka).WaitFor(kafka);
        }

        // The services' own flags (--file.enable, --file.publishDir) as configuration.
        return service
            .WithEnvironment(EventLogFlags.FileEnabledKey.Replace(":", "__", StringComparison.Ordinal), "true")
            .WithEnvironment(EventLogFlags.FileDirectoryKey.Replace(":", "__", StringComparison.Ordinal), infrastructure.FileLogDirectory!);
    }
}
