using Pleiades.CommandLine;

namespace Pleiades.Replay;

internal static class Extensions
{
    /// <summary>Registers the replay from the <c>Replay</c> configuration section (flags write into it).</summary>
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReplayOptions>().BindConfiguration(ReplayOptions.Section).ValidateOnStart();
        builder.Services.AddReplayServer();

        // The capture is loaded by the startup validation, so that a missing or empty one is one line and exit code 2.
        StartupCheck.Add(builder.Services, ReplayOptions.Section + ":Capture", services =>
        {
            // Outside the try: a setting the binder cannot convert is reported as the binder's own.
            _ = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReplayOptions>>().Value;
            try
            {
                services.GetRequiredService<ReplayCapture>();
                return [];
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                return [$"{ReplayOptions.Section}:Capture: {e.Message}"];
            }
        });
        return builder;
    }

    /// <summary>The capture (loaded once, at the first request or at start), its served timeline, the statistics and the stream endpoint.</summary>
    public static IServiceCollection AddReplayServer(this IServiceCollection services)
    {
        services.AddSingleton(sp => ReplayCapture.Load(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReplayOptions>>().Value.Capture));
        services.AddSingleton(sp => new ReplayTimeline(sp.GetRequiredService<ReplayCapture>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
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
