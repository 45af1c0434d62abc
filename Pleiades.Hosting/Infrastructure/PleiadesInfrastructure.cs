using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>The Kafka and Redis resources the services reference, whichever mode provides them.</summary>
public sealed record PleiadesInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Kafka,
    IResourceBuilder<IResourceWithConnectionString> Redis)
{
    /// <summary>
    /// Where the Ingest keeps its resume state, when it must live beside the counters (embedded mode): the broker
    /// forgets everything when the AppHost stops, so the Ingest resumes from this state, and it must agree with
    /// Garnet's data. Both then go away together when the embedded data directory is deleted.
    /// </summary>
    public string? IngestStateDirectory { get; init; }
}
