using System.Net;
using System.Net.Sockets;

namespace Pleiades.CommandLine;

/// <summary>
/// The addresses a service is about to listen on (ASP.NET's <c>urls</c> setting), checked before the host starts:
/// one taken by another process is then a one-line error instead of the host's "Hosting failed to start" stack trace.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The first of <paramref name="urls"/> (separated by ';') whose port another socket holds, or null.</summary>
    public static string? FirstInUse(string? urls)
    {
        if (string.IsNullOrWhiteSpace(urls))
        {
            return null;
        }

        foreach (var url in urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Endpoints(url) is { } endpoints && endpoints.Exists(IsTaken))
            {
                return url;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="exception"/> is Kestrel's failure to bind an address another socket holds.</summary>
    public static bool IsAddressInUse(Exception exception) =>
        exception is IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } }
            || exception.GetType().Name == "AddressInUseException"
            || exception.InnerException is { } inner && IsAddressInUse(inner);

    /// <summary>Where Kestrel would bind <paramref name="url"/> (null when it cannot tell, e.g. port 0 or a host name).</summary>
    private static List<IPEndPoint>? Endpoints(string url)
    {
        // Kestrel's wildcard hosts (*, +) are not valid URI hosts: read them as any address.
        var parsable = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || uri.Port <= 0)
        {
            return null;
        }

        if (uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _))
        {
            // localhost: Kestrel binds both loopbacks.
            return [new IPEndPoint(IPAddress.Loopback, uri.Port), new IPEndPoint(IPAddress.IPv6Loopback, uri.Port)];
        }

        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            return null;
        }

        // Any address: Kestrel binds IPv6's, dual mode, when the machine has IPv6.
        return address.Equals(IPAddress.Any) && Socket.OSSupportsIPv6
            ? [new IPEndPoint(IPAddress.IPv6Any, uri.Port)]
            : [new IPEndPoint(address, uri.Port)];
    }

    /// <summary>Whether another socket listens on <paramref name="endpoint"/> (a trial bind and listen, released at once).</summary>
    public static bool IsTaken(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endpoint);
            socket.Listen();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // Not an address of this machine (or IPv6 off): Kestrel's own error will say so.
            return false;
        }
    }
}
