using Microsoft.Extensions.Options;
using Pleiades.Web.Server;

namespace Pleiades.Web;

/// <summary>Checks the Web's settings at start and reports every problem at once.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var errors = new List<string>();
        if (options.SnapshotLifetime < TimeSpan.Zero || options.SnapshotLifetime > TimeSpan.FromMinutes(1))
        {
            errors.Add("Web:SnapshotLifetime must be between 0 and 1 minute");
        }

        if (options.LiveRefreshInterval < TimeSpan.FromMilliseconds(200))
        {
            errors.Add("Web:LiveRefreshInterval must be at least 200 ms (a few redraws a second at most)");
        }

        if (options.StaleAfter <= TimeSpan.Zero)
        {
            errors.Add("Web:StaleAfter must be positive");
        }

        if (options.Api.RateLimitPermits < 1 || options.Api.RateLimitWindow <= TimeSpan.Zero)
        {
            errors.Add("Web:Api:RateLimitPermits and Web:Api:RateLimitWindow must be positive");
        }

        if (options.Api.RateLimitIPv6PrefixLength is < 1 or > 128)
        {
            errors.Add("Web:Api:RateLimitIPv6PrefixLength must be between 1 and 128 (the bits of an IPv6 address that name one client, e.g. 64)");
        }

        foreach (var origin in options.Api.CorsOrigins)
        {
            if (origin.Contains('*', StringComparison.Ordinal) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"Web:Api:CorsOrigins: '{origin}' is not an http(s) origin (wildcards are not allowed)");
            }
        }

        if (options.Transport.MemoryBlockSize != WebOptions.TransportSettings.AspNetCoreBlocks
            && options.Transport.MemoryBlockSize is < 4096 or > 1024 * 1024)
        {
            errors.Add("Web:Transport:MemoryBlockSize must be between 4096 and 1048576 bytes, or 0 for ASP.NET Core's own 4 KiB blocks");
        }

        var forwarded = options.ForwardedHeaders;
        foreach (var proxy in forwarded.KnownProxies)
        {
            if (!TrustedProxies.TryParseAddress(proxy, out _))
            {
                errors.Add($"Web:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address (e.g. 10.0.0.5)");
            }
        }

        foreach (var network in forwarded.KnownNetworks)
        {
            if (!TrustedProxies.TryParseNetwork(network, out _))
            {
                errors.Add($"Web:ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.244.0.0/16, no address bits past the prefix)");
            }
        }

        if (forwarded.ForwardLimit < 1)
        {
            errors.Add("Web:ForwardedHeaders:ForwardLimit must be at least 1 (the proxies in front of the Web)");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
