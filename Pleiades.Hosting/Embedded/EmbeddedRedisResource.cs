using Aspire.Hosting.ApplicationModel;

namespace Pleiades.Hosting.Embedded;

/// <summary>A Redis-protocol server (Garnet) running inside the AppHost process; its data survives a restart.</summary>
public sealed class EmbeddedRedisResource(string name, int port, string dataDirectory) : Resource(name), IResourceWithConnectionString
{
    /// <summary>The loopback port Garnet listens on.</summary>
    public int Port { get; } = port;

    /// <summary>Where Garnet keeps its append-only file and checkpoints.</summary>
    public string DataDirectory { get; } = dataDirectory;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"127.0.0.1:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
