using System.Net;
using System.Net.Sockets;

namespace Pleiades.Tests.Support;

/// <summary>Free loopback ports for the servers tests start.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
