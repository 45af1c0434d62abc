namespace Pleiades.Hosting.Infrastructure;

/// <summary>Where Kafka and Redis come from (the AppHost's <c>--infra</c>).</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, embedded otherwise.</summary>
    Auto,

    /// <summary>Kafka and Redis containers (Docker or Podman): the production-like setup.</summary>
    Containers,

    /// <summary>Garnet and librdkafka's mock broker inside the AppHost: no container runtime needed.</summary>
    Embedded,

    /// <summary>An existing Kafka and Redis, given as connection strings.</summary>
    External,
}
