using Pleiades.Hosting.Infrastructure;

namespace Pleiades.AppHost;

/// <summary>The AppHost's settings for the services (the infrastructure's are in <see cref="InfrastructureSettings"/>).</summary>
internal static class AppHostSettings
{
    /// <summary>The site's documented public port.</summary>
    public const int WebPort = 8080;

    public const string DefaultStreamUrl = "https://stream.wikimedia.org/v2/stream/recentchange";

    /// <summary>The EventStreams URL the Ingest reads (<c>--stream-url</c>), so the app can run against a local replay.</summary>
    public static string StreamUrl(this IDistributedApplicationBuilder builder)
    {
        var url = InfrastructureSettings.Setting(builder.Configuration, "stream-url") ?? DefaultStreamUrl;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url
            : throw new AppHostConfigurationException($"--stream-url '{url}' is not an http(s) URL");
    }

    /// <summary>Port 8080 taken would leave the Web without its public address: say so at start.</summary>
    public static void EnsureWebPortIsFree(this IDistributedApplicationBuilder builder)
    {
        // Tests randomise every proxied port, so 8080 is not used then.
        if (builder.ExecutionContext.IsRunMode && !string.Equals(builder.Configuration["DcpPublisher:RandomizePorts"], "true", StringComparison.OrdinalIgnoreCase))
        {
            InfrastructureBuilderExtensions.EnsurePortIsFree(WebPort, "the Web's public address", "another free port in Pleiades.AppHost (AppHostSettings.WebPort)");
        }
    }
}
