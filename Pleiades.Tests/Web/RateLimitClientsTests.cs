using System.Net;
using Pleiades.Web;
using Pleiades.Web.Api;

namespace Pleiades.Tests.Web;

/// <summary>The keys of the API's rate limit (<see cref="RateLimitClients"/>) and the setting of the IPv6 prefix length; over HTTP: WebForwardedHeadersTests.</summary>
public sealed class RateLimitClientsTests
{
    [Theory]
    [InlineData(64, "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [InlineData(64, "fe80::1%2", "fe80::2%3")]
    [InlineData(56, "2001:db8:0:100::1", "2001:db8:0:1ff::1")]
    [InlineData(48, "2001:db8:1::", "2001:db8:1:ffff::1")]
    [InlineData(1, "::1", "7fff::1")]
    [InlineData(64, "203.0.113.7", "::ffff:203.0.113.7")]
    [InlineData(1, "203.0.113.7", "::ffff:203.0.113.7")]
    [InlineData(128, "2001:db8::1", "2001:db8::1")]
    public void Addresses_of_one_client_have_one_key(int prefixLength, string one, string other)
    {
        var clients = new RateLimitClients(prefixLength);

        Assert.Equal(clients.KeyOf(IPAddress.Parse(one)), clients.KeyOf(IPAddress.Parse(other)));
    }

    [Theory]
    [InlineData(64, "2001:db8:1:2::1", "2001:db8:1:3::1")]
    [InlineData(56, "2001:db8:0:100::1", "2001:db8:0:200::1")]
    [InlineData(128, "2001:db8::1", "2001:db8::2")]
    [InlineData(1, "::1", "8000::1")]
    // IPv4 clients count per address whatever the IPv6 prefix, mapped or not.
    [InlineData(1, "203.0.113.7", "203.0.113.8")]
    [InlineData(64, "::ffff:203.0.113.7", "::ffff:203.0.113.8")]
    [InlineData(64, "0.0.0.0", "::ffff:0.0.0.1")]
    // Neither an IPv4 address nor the addresses next to the mapped ones fall into the other's key.
    [InlineData(64, "203.0.113.7", "::ffff:0:0")]
    [InlineData(64, "203.0.113.7", "::cb00:7107")]
    [InlineData(96, "::ffff:203.0.113.7", "::fffe:cb00:7107")]
    [InlineData(128, "0.0.0.0", "::")]
    public void Addresses_of_different_clients_have_different_keys(int prefixLength, string one, string other)
    {
        var clients = new RateLimitClients(prefixLength);

        Assert.NotEqual(clients.KeyOf(IPAddress.Parse(one)), clients.KeyOf(IPAddress.Parse(other)));
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")]
    [InlineData("255.255.255.255")]
    public void A_request_without_a_peer_address_has_a_key_no_address_has(string address)
    {
        foreach (var prefixLength in new[] { 1, 64, 128 })
        {
            var clients = new RateLimitClients(prefixLength);

            Assert.Equal(RateLimitClients.NoAddress, clients.KeyOf(null));
            Assert.NotEqual(RateLimitClients.NoAddress, clients.KeyOf(IPAddress.Parse(address)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(128)]
    public void Prefix_lengths_from_1_to_128_are_accepted(int prefixLength)
    {
        var options = new WebOptions { Api = { RateLimitIPv6PrefixLength = prefixLength } };

        Assert.True(new WebOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-64)]
    [InlineData(129)]
    public void Other_prefix_lengths_are_refused(int prefixLength)
    {
        var options = new WebOptions { Api = { RateLimitIPv6PrefixLength = prefixLength } };

        var failure = Assert.Single(new WebOptionsValidator().Validate(null, options).Failures!);
        Assert.StartsWith("Web:Api:RateLimitIPv6PrefixLength must be between 1 and 128", failure, StringComparison.Ordinal);
        // At start this is one line on stderr and exit code 2: ServiceProcessTests.
    }
}
