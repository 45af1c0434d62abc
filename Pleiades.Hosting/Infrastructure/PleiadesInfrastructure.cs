using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>The Kafka and Redis resources the services reference, whichever mode provides them.</summary>
public sealed record PleiadesInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Kafka,
    IResourceBuilder<IResourceWithConnectionString> Redis);
