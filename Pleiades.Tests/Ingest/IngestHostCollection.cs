namespace Pleiades.Tests.Ingest;

/// <summary>
/// Tests that run the Ingest in this process share one collection, so they run one after another: OpenTelemetry
/// listens to every Meter named <c>Pleiades.Ingest</c> in the process, so two Ingests at once would see each
/// other's counts in /metrics.
/// </summary>
[CollectionDefinition(Name)]
public sealed class IngestHostCollection
{
    public const string Name = "Ingest hosts in this process";
}
