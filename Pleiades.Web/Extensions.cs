namespace Pleiades.Web;

internal static class Extensions
{
    /// <summary>Registers the Web's own services: options now; the dashboard and API come with their issue.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>()
            .BindConfiguration(WebOptions.Section)
            .ValidateOnStart();

        return builder;
    }

    /// <summary>
    /// Standalone, the site listens on <c>--listen-addr</c> (default <c>:8080</c>); under the AppHost its
    /// endpoint is given by Aspire and the public port 8080 is the AppHost's proxy.
    /// </summary>
    public static WebApplicationBuilder UseListenAddress(this WebApplicationBuilder builder)
    {
        var underHost = !string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        var listen = builder.Configuration[WebOptions.Section + ":ListenAddress"];
        if (underHost && listen is null)
        {
            return builder;
        }

        listen ??= WebOptions.DefaultListenAddress;
        var colon = listen.LastIndexOf(':');
        var host = colon <= 0 ? "*" : listen[..colon];
        builder.WebHost.UseUrls($"http://{host}:{listen[(colon + 1)..]}");
        return builder;
    }
}
