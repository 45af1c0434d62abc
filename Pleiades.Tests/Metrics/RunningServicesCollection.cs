namespace Pleiades.Tests.Metrics;

/// <summary>The tests that read the running services' metrics share one run of them (it takes every service a while to start and work).</summary>
[CollectionDefinition(Name)]
public sealed class RunningServicesCollection : ICollectionFixture<RunningServices>
{
    public const string Name = "running services";
}
