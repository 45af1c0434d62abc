using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Embedded;

/// <summary>
/// A Kafka-protocol broker (librdkafka's mock cluster) running inside the AppHost process. Volatile: it
/// forgets every message when the AppHost stops, and a new cluster has a new identity.
/// </summary>
public sealed class EmbeddedKafkaResource : Resource, IResourceWithConnectionString
{
    private readonly StartedValue _bootstrapServers;

    public EmbeddedKafkaResource(string name, IReadOnlyDictionary<string, int> topics) : base(name)
    {
        Topics = topics;
        _bootstrapServers = new StartedValue($"{{{name}.bindings.tcp.host}}:{{{name}.bindings.tcp.port}}");
    }

    /// <summary>Topics created when the broker starts (the mock does not support CreateTopics), with their partition counts.</summary>
    public IReadOnlyDictionary<string, int> Topics { get; }

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{_bootstrapServers}");

    internal void SetBootstrapServers(string servers) => _bootstrapServers.Set(servers);
}
