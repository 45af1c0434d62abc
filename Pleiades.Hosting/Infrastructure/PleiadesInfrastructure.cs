using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>The event log and Redis the services use, whichever mode provides them.</summary>
public sealed record PleiadesInfrastructure(
    InfrastructureMode Mode,
    EventLogKind EventLog,
    IResourceBuilder<IResourceWithConnectionString>? Kafka,
    IResourceBuilder<IResourceWithConnectionString> Redis)
{
    /// <summary>
    /// Where the Ingest keeps its resume state, when it must live beside the counters (embedded mode): the embedded
    /// broker forgets everything when the AppHost stops, so the Ingest resumes from this state, and it must agree with
    /// Garnet's data. Both then go away together when the embedded data directory is deleted.
    /// </summary>
    public string? IngestStateDirectory { get; init; }

    /// <summary>The file log's directory (with <see cref="EventLogKind.File"/>), beside Garnet's data so that both go away together.</summary>
    public string? FileLogDirectory { get; init; }

    /// <summary>Aggregator replicas: one reads the file log; a Kafka consumer group shares partitions between several.</summary>
    public int Aggregators { get; init; } = 1;
}
