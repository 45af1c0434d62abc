using Pleiades.Hosting.Embedded;

namespace Pleiades.Tests.Counting;

/// <summary>Microsoft Garnet in this process, as the AppHost's embedded mode configures it (volatile).</summary>
public sealed class GarnetServer : RedisProtocolServer
{
    private Garnet.GarnetServer? _server;

    protected override Task StartAsync()
    {
        _server = GarnetServerFactory.Create(Port);
        _server.Start();
        return Task.CompletedTask;
    }

    protected override Task StopAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
