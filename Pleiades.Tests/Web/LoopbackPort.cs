using System.Net;
using System.Net.Sockets;

namespace Pleiades.Tests.Web;

/// <summary>A loopback port nothing listens on: a Redis that does not answer.</summary>
public static class LoopbackPort
{
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
