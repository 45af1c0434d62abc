namespace Pleiades.Replay;

internal static class Extensions
{
    /// <summary>Registers the replay from the <c>Replay</c> configuration section (flags write into it).</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReplayOptions>().BindConfiguration(ReplayOptions.Section);
        builder.Services.AddReplayServer();
        return builder;
    }

    /// <summary>The capture (loaded once, at the first request or at start), the statistics and the stream endpoint.</summary>
    public static IServiceCollection AddReplayServer(this IServiceCollection services)
    {
        services.AddSingleton(sp => ReplayCapture.Load(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReplayOptions>>().Value.Capture));
        services.AddSingleton<ReplayStatistics>();
        services.AddSingleton<ReplayStreamEndpoint>();
        return services;
    }

    public static WebApplication MapReplay(this WebApplication app)
    {
        // Loading the capture now makes a bad --capture fail at start, not at the first client.
        app.Services.GetRequiredService<ReplayCapture>();
        var endpoint = app.Services.GetRequiredService<ReplayStreamEndpoint>();
        app.MapGet("/v2/stream/{streams}", endpoint.HandleAsync);
        app.MapGet("/", (ReplayCapture capture) => Results.Text(
            $"Pleiades replay: {capture.Events.Count} events at /v2/stream/recentchange (Last-Event-ID and ?since= honoured).\n", "text/plain"));
        return app;
    }
}
