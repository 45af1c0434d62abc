using System.Net;
using System.Net.Sockets;

namespace Pleiades.Hosting.Infrastructure;

/// <summary>Free loopback ports, for embedded servers without a configured port and for the servers tests start.</summary>
public static class FreePort
{
    /// <summary>A loopback port the system reports free right now (something else may still take it before it is used).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
