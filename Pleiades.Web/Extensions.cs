using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pleiades.Counters;
using Pleiades.Web.Api;
using Pleiades.Web.Components;
using Pleiades.Web.Data;
using Pleiades.Web.Server;
using Pleiades.Web.Telemetry;
using StackExchange.Redis;

namespace Pleiades.Web;

internal static class Extensions
{
    /// <summary>ASP.NET Core's setting (static assets) that turns on Development's runtime reloading of wwwroot.</summary>
    public const string ReloadStaticAssetsAtRuntimeKey = "ReloadStaticAssetsAtRuntime";

    /// <summary>Everything the Web serves, as Program.cs and the tests build it.</summary>
    public static WebApplicationBuilder AddWebHost(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.UseListenAddress();
        builder.UseMetricsPort();
        builder.AddApplicationServices();
        return builder;
    }

    /// <summary>Registers the Web's own services: Redis, the shared counter snapshots, the API's protection and the dashboard.</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebOptions>()
            .BindConfiguration(WebOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();

        builder.AddCounterRedis();
        builder.Services.AddCounterSnapshots();
        builder.AddKestrelTransport();

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = null;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJsonContext.Default);
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddCors();
        builder.Services.AddOptions<CorsOptions>().Configure<IOptions<WebOptions>>((cors, web) =>
            cors.AddPolicy(StatsApi.CorsPolicy, policy => policy.WithOrigins(web.Value.Api.CorsOrigins).WithMethods("GET")));
        builder.Services.AddTrustedProxies();
        builder.Services.AddRateLimiter(limiter => limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebOptions>>((limiter, web) =>
        {
            // Built once, not per request: this runs on every call of the API.
            var api = web.Value.Api;
            var window = new FixedWindowRateLimiterOptions { PermitLimit = api.RateLimitPermits, Window = api.RateLimitWindow, QueueLimit = 0 };
            Func<UInt128, FixedWindowRateLimiterOptions> windowOfClient = _ => window;
            var clients = new RateLimitClients(api.RateLimitIPv6PrefixLength);
            // Per client: the one a trusted proxy forwarded for (TrustedProxies), else the connection's peer.
            limiter.AddPolicy(StatsApi.RateLimitPolicy, context =>
                RateLimitPartition.GetFixedWindowLimiter(clients.KeyOf(context.Connection.RemoteIpAddress), windowOfClient));
        });

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        // Serve the framework's assets (blazor.web.js) also when the build output runs outside Development;
        // a published app has no such manifest and this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        if (!builder.Environment.IsDevelopment() && builder.Configuration[ReloadStaticAssetsAtRuntimeKey] is null)
        {
            // Run from the build output, MapStaticAssets reloads assets at runtime as in Development, which adds a
            // fallback route whose constraint looks for a file under wwwroot on every request (a file system call per
            // API request, a large share of the Web's CPU under load). Outside Development nothing changes wwwroot at runtime.
            builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>(ReloadStaticAssetsAtRuntimeKey, "false")]);
        }

        return builder;
    }

    /// <summary>Reading the counters: the shared snapshots over an <c>IConnectionMultiplexer</c> registered elsewhere.</summary>
    public static IServiceCollection AddCounterSnapshots(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebTelemetry>();
        services.AddSingleton<CounterReader>();
        services.AddSingleton<CounterSnapshots>();
        return services;
    }

    /// <summary>The request pipeline: forwarded headers, headers and metrics first, then the API, the dashboard and the default endpoints.</summary>
    public static WebApplication MapWebApplication(this WebApplication app)
    {
        // Before anything that looks at the client's address or scheme.
        app.UseForwardedHeadersOfTrustedProxies();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<HttpMetricsMiddleware>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
        }

        // Empty error answers of the API (e.g. a query that does not bind) become problem+json too.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        // A browser that asks for a page that does not exist gets the site's not-found page (still a 404), not an empty answer.
        app.UseWhen(IsPageRequest, site => site.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        // Routing after the status code pages, so that their re-executed request is routed to the not-found page.
        app.UseRouting();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapStatsApi();
        // Our own CSP already says frame-ancestors 'none'; Blazor would add a second, weaker policy header.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(server => server.ContentSecurityFrameAncestorsPolicy = null);
        app.MapDefaultEndpoints();
        return app;
    }

    private static bool IsPageRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && !context.Request.Path.StartsWithSegments("/api")
        && context.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>
    /// The Redis client (Aspire's integration) for <c>ConnectionStrings:redis</c>, with the original's Sentinel and
    /// password flags. It starts even when Redis is down, so that the site can say so instead of failing.
    /// </summary>
    private static void AddCounterRedis(this WebApplicationBuilder builder)
    {
        builder.AddCounterRedisClient(WebOptions.Section + ":Redis", options =>
        {
            options.ConnectTimeout = 2000;
            // A read-only view retries by itself: while Redis is away, say so at once instead of queueing reads until they time out.
            options.BacklogPolicy = BacklogPolicy.FailFast;
        });
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
