using System.Net;
using System.Net.Sockets;

namespace Pleiades.Benchmarks.Data;

internal static class FreePort
{
    /// <summary>A loopback port free right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits (bounded) until something accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitListeningAsync(int port, TimeSpan timeout, Func<bool>? failed = null)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, cancellation.Token);
                return;
            }
            catch (SocketException) when (failed?.Invoke() != true)
            {
                await Task.Delay(50, cancellation.Token);
            }
        }
    }
}
