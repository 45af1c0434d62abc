using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Pleiades.Web.Server;

/// <summary>
/// Which reverse proxies' <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the Web believes (<c>Web:ForwardedHeaders</c>),
/// through ASP.NET Core's <see cref="ForwardedHeadersMiddleware"/> at the front of the pipeline, so that everything after
/// it (the API's per-client rate limit above all) sees the real client's address.
/// </summary>
internal static class TrustedProxies
{
    /// <summary>
    /// ASP.NET Core's own switch (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, which Aspire's manifest sets): the framework then
    /// adds the middleware itself, trusting every proxy unless <c>Web:ForwardedHeaders</c> names some.
    /// </summary>
    public const string FrameworkSwitchKey = "ForwardedHeaders_Enabled";

    /// <summary>The middleware's options from <c>Web:ForwardedHeaders</c>, applied after the framework's switch so that they narrow it.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            var settings = web.Value.ForwardedHeaders;
            forwarded.ForwardLimit = settings.ForwardLimit;
            if (!settings.TrustsAnyProxy)
            {
                return;
            }

            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; only the configured proxies are trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // Validation rejected any entry that does not parse before the pipeline asks for these options.
            foreach (var proxy in settings.KnownProxies)
            {
                if (TryParseAddress(proxy, out var address))
                {
                    forwarded.KnownProxies.Add(address);
                }
            }

            foreach (var network in settings.KnownNetworks)
            {
                if (TryParseNetwork(network, out var parsed))
                {
                    forwarded.KnownIPNetworks.Add(parsed);
                }
            }
        });
        return services;
    }

    /// <summary>
    /// Puts the middleware first when <c>Web:ForwardedHeaders</c> trusts a proxy. Under the framework's switch it is already
    /// there: a second one would unwind the header twice, believing entries the client wrote.
    /// </summary>
    public static WebApplication UseForwardedHeadersOfTrustedProxies(this WebApplication app)
    {
        var trustsAnyProxy = app.Services.GetRequiredService<IOptions<WebOptions>>().Value.ForwardedHeaders.TrustsAnyProxy;
        if (trustsAnyProxy && !string.Equals(app.Configuration[FrameworkSwitchKey], "true", StringComparison.OrdinalIgnoreCase))
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>An IPv4 address in its four-part dotted form or an IPv6 address (not the shorthands <c>10.1</c> or <c>167772161</c> that the parser also takes).</summary>
    public static bool TryParseAddress(string text, out IPAddress address) =>
        IPAddress.TryParse(text, out address!)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || string.Equals(address.ToString(), text, StringComparison.Ordinal));

    /// <summary>A network as <c>address/prefix</c> whose address has no bit set past the prefix (<c>10.0.0.0/8</c>, not <c>10.0.0.1/8</c>).</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        network = default;
        // IPNetwork.TryParse clears such bits silently; a stray bit is more likely a typo than meant.
        return slash > 0 && TryParseAddress(text[..slash], out var address) && IPNetwork.TryParse(text, out network) && network.BaseAddress.Equals(address);
    }
}
