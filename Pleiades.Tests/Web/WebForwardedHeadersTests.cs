using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pleiades.Tests.Counting;
using Pleiades.Web;

namespace Pleiades.Tests.Web;

/// <summary>
/// The API's per-client rate limit behind reverse proxies (<c>Web:ForwardedHeaders</c>), over real HTTP: the test client
/// plays the proxy, from 127.0.0.1 or from another loopback address, and names the clients in <c>X-Forwarded-For</c>
/// (an IPv6 client is its /64 or <c>Web:Api:RateLimitIPv6PrefixLength</c>, an IPv4 client its address, mapped or not).
/// Two permits per ten minutes, so that the third request of one client is refused whatever the machine's speed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebForwardedHeadersTests(DebianRedisServer redis) : IClassFixture<DebianRedisServer>
{
    private const string Alice = "203.0.113.7";
    private const string Bob = "198.51.100.9";
    private static readonly HttpStatusCode TooManyRequests = (HttpStatusCode)429;

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_allowance()
    {
        await using var app = await StartAsync(new() { ["Web:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(app.Client, Alice, Alice, Alice));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(app.Client, Bob, Bob, Bob));
        // The proxy's own requests (a health probe) are a third client.
        Assert.Equal([HttpStatusCode.OK], await GetDaysAsync(app.Client, [null]));
        var forwarded = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.ForwardedHeaders;
        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, forwarded);
    }

    [Fact]
    public async Task Without_trusted_proxies_the_header_is_ignored_and_varying_it_does_not_escape_the_limit()
    {
        await using var app = await StartAsync([]);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests, TooManyRequests], await GetDaysAsync(app.Client, Alice, Bob, "192.0.2.1", null));
    }

    [Fact]
    public async Task The_header_of_a_proxy_that_is_not_trusted_is_ignored()
    {
        await using var app = await StartAsync(new()
        {
            ["Web:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Web:ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8",
        });
        using var untrusted = ClientFrom(IPAddress.Parse("127.0.0.2"), app.Address);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(untrusted, Alice, Bob, "192.0.2.1"));
        // The trusted proxy still forwards its own clients.
        Assert.Equal([HttpStatusCode.OK], await GetDaysAsync(app.Client, Alice));
    }

    [Fact]
    public async Task A_trusted_network_and_a_forward_limit_unwind_a_chain_of_proxies_up_to_the_first_untrusted_address()
    {
        await using var app = await StartAsync(new()
        {
            ["Web:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
            ["Web:ForwardedHeaders:ForwardLimit"] = "2",
        });

        // Client, then the inner proxy at 127.0.0.9 that the outer one (the test client) appended.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await GetDaysAsync(app.Client, $"{Alice}, 127.0.0.9", $"{Alice}, 127.0.0.9"));
        // Alice cannot prepend another address: the unwinding stops at her, who is no proxy.
        Assert.Equal([TooManyRequests, TooManyRequests], await GetDaysAsync(app.Client, Alice, $"192.0.2.1, {Alice}"));
        Assert.Equal([HttpStatusCode.OK], await GetDaysAsync(app.Client, $"{Bob}, 127.0.0.9"));
    }

    [Fact]
    public async Task The_frameworks_switch_is_narrowed_by_the_configured_proxies()
    {
        await using var app = await StartAsync(new()
        {
            ["ForwardedHeaders_Enabled"] = "true", // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true
            ["Web:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });
        using var untrusted = ClientFrom(IPAddress.Parse("127.0.0.2"), app.Address);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(untrusted, Alice, Bob, "192.0.2.1"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests, HttpStatusCode.OK], await GetDaysAsync(app.Client, Alice, Alice, Alice, Bob));
    }

    /// <summary>The framework's switch adds the middleware itself; a second one would unwind a hop more than configured.</summary>
    [Fact]
    public async Task Under_the_frameworks_switch_the_header_is_unwound_once()
    {
        await using var app = await StartAsync(new()
        {
            ["ForwardedHeaders_Enabled"] = "true",
            ["Web:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
        });

        // One hop: the first three requests are from 127.0.0.9 (unwound twice, the first would be from 127.0.0.5; not at all,
        // the fourth would be refused too).
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests, HttpStatusCode.OK],
            await GetDaysAsync(app.Client, "127.0.0.5, 127.0.0.9", "127.0.0.9", "127.0.0.9", "127.0.0.7"));
    }

    [Fact]
    public async Task Addresses_in_one_IPv6_64_share_an_allowance_and_other_64s_have_their_own()
    {
        await using var app = await StartAsync(new() { ["Web:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        // One subscriber's /64 (2001:db8:1:2::/64), rotating through its addresses.
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests, TooManyRequests],
            await GetDaysAsync(app.Client, "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::abcd", "[2001:db8:1:2::7]:443"));
        // The next /64 of the same /48 is another client.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(app.Client, "2001:db8:1:3::1", "2001:db8:1:3::2", "2001:db8:1:3::3"));
    }

    [Fact]
    public async Task A_configured_IPv6_prefix_length_groups_addresses_by_that_prefix()
    {
        await using var app = await StartAsync(new()
        {
            ["Web:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
            ["Web:Api:RateLimitIPv6PrefixLength"] = "56",
        });

        // 2001:db8:0:100::/56 holds the /64s 2001:db8:0:100:: to 2001:db8:0:1ff::.
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests],
            await GetDaysAsync(app.Client, "2001:db8:0:100::1", "2001:db8:0:1ff::1", "2001:db8:0:180::1"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await GetDaysAsync(app.Client, "2001:db8:0:200::1", "2001:db8:0:ff::1"));
    }

    [Fact]
    public async Task IPv4_clients_count_per_address_also_when_given_as_IPv4_mapped_IPv6()
    {
        await using var app = await StartAsync(new() { ["Web:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1" });

        // What a dual-stack socket reports for an IPv4 peer is that peer, not the /64 ::ffff:0:0/64 of every IPv4 client.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(app.Client, Alice, $"::ffff:{Alice}", Alice));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, TooManyRequests], await GetDaysAsync(app.Client, $"::ffff:{Bob}", $"::ffff:{Bob}", $"::ffff:{Bob}"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], await GetDaysAsync(app.Client, "::ffff:192.0.2.1", "192.0.2.2"));
    }

    [Theory]
    [InlineData("10.0.0.5", "10.244.0.0/16")]
    [InlineData("fd00::5", "fd00::/8")]
    [InlineData("::ffff:10.0.0.5", "0.0.0.0/0")]
    public void Proxy_addresses_and_networks_are_accepted(string proxy, string network)
    {
        var options = new WebOptions { ForwardedHeaders = { KnownProxies = [proxy], KnownNetworks = [network], ForwardLimit = 3 } };

        Assert.True(new WebOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Bad_proxy_settings_are_all_reported_at_once()
    {
        var options = new WebOptions
        {
            ForwardedHeaders =
            {
                // The shorthands IPAddress.Parse takes (10.0.0.1, 0.0.0.10) are more likely typos than meant.
                KnownProxies = ["proxy.internal", "10.1", "10", "10.0.0.5/32"],
                KnownNetworks = ["10.0.0.1/8", "10.0.0.0", "10.0.0.0/33", "/8", "10.1/16"],
                ForwardLimit = 0,
            },
        };

        var failures = new WebOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(4, failures.Count(f => f.StartsWith("Web:ForwardedHeaders:KnownProxies: ", StringComparison.Ordinal)));
        Assert.Equal(5, failures.Count(f => f.StartsWith("Web:ForwardedHeaders:KnownNetworks: ", StringComparison.Ordinal)));
        Assert.Single(failures, f => f.StartsWith("Web:ForwardedHeaders:ForwardLimit ", StringComparison.Ordinal));
        Assert.Equal(10, failures.Count);
        // At start these are one line on stderr and exit code 2: ServiceProcessTests.
    }

    private async Task<WebAppHost> StartAsync(Dictionary<string, string?> settings)
    {
        settings["Web:Api:RateLimitPermits"] = "2";
        settings["Web:Api:RateLimitWindow"] = "00:10:00";
        return await WebAppHost.StartAsync(redis.Address, settings);
    }

    /// <summary>One <c>GET /api/days</c> per entry, with that <c>X-Forwarded-For</c> (none for null); their status codes.</summary>
    private static async Task<List<HttpStatusCode>> GetDaysAsync(HttpClient client, params string?[] forwardedFor)
    {
        var codes = new List<HttpStatusCode>();
        foreach (var header in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/days");
            if (header is not null)
            {
                request.Headers.Add("X-Forwarded-For", header);
                request.Headers.Add("X-Forwarded-Proto", "https");
            }

            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            codes.Add(response.StatusCode);
        }

        return codes;
    }

    /// <summary>A client whose connections come from <paramref name="local"/> (any 127.x address is this machine's): another proxy.</summary>
    private static HttpClient ClientFrom(IPAddress local, Uri address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
    }
}
