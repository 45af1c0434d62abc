using System.Net;
using Garnet.server;

namespace Pleiades.Tests.Counting;

/// <summary>Microsoft Garnet in this process, with the options ARCHITECTURE.md found necessary here.</summary>
public sealed class GarnetServer : RedisProtocolServer
{
    private Garnet.GarnetServer? _server;

    protected override Task StartAsync()
    {
        _server = new Garnet.GarnetServer(new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, Port)],
            // The default native device needs a newer glibc than Debian 12's.
            DeviceType = Tsavorite.core.DeviceType.RandomAccess,
            EnableLua = true,
            LuaOptions = new(),
            // Without it scripts are not atomic against each other.
            LuaTransactionMode = true,
            QuietMode = true,
        });
        _server.Start();
        return Task.CompletedTask;
    }

    protected override Task StopAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
