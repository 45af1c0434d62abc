using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Pleiades.Web.Api;

/// <summary>
/// Which client a request counts as for the API's rate limit: an IPv4 address, or the network prefix of an IPv6 address
/// (<c>Web:Api:RateLimitIPv6PrefixLength</c>, a /64 by default). An IPv6 client is given at least a /64 and can use any
/// address in it, so counting each address would let it rotate past the limit. An IPv4-mapped address (<c>::ffff:a.b.c.d</c>,
/// what a dual-stack socket reports for an IPv4 peer) counts as its IPv4 address, not as the one /64 all IPv4 clients share.
/// </summary>
/// <remarks>
/// The key is a 128-bit number, not a string: it is computed on every request of the API, and the rate limiter only
/// compares keys. IPv4 addresses are keyed in their mapped form, which no IPv6 prefix (masked native address) can equal.
/// </remarks>
internal sealed class RateLimitClients
{
    /// <summary>The key of a request without a peer address (not over TCP): <c>ffff:...:ffff</c>, multicast, never a client's address or prefix.</summary>
    public static readonly UInt128 NoAddress = UInt128.MaxValue;

    private static readonly UInt128 IPv4Mapped = (UInt128)0xFFFF << 32;

    private readonly UInt128 _ipv6Mask;

    /// <param name="ipv6PrefixLength">1 to 128 (validated with the settings): how many leading bits of an IPv6 address name its client.</param>
    public RateLimitClients(int ipv6PrefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ipv6PrefixLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ipv6PrefixLength, 128);
        _ipv6Mask = UInt128.MaxValue << (128 - ipv6PrefixLength);
    }

    /// <summary>The client of a request from <paramref name="address"/>: requests with equal keys share one allowance.</summary>
    public UInt128 KeyOf(IPAddress? address)
    {
        Span<byte> bytes = stackalloc byte[16];
        switch (address?.AddressFamily)
        {
            case AddressFamily.InterNetwork when address.TryWriteBytes(bytes, out _):
                return IPv4Mapped | BinaryPrimitives.ReadUInt32BigEndian(bytes);
            case AddressFamily.InterNetworkV6 when address.TryWriteBytes(bytes, out _):
                var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
                return address.IsIPv4MappedToIPv6 ? value : value & _ipv6Mask;
            default:
                return NoAddress;
        }
    }
}
