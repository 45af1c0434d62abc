using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Pleiades.Replay;

/// <summary>The replay running inside another process (tests, benchmarks) on a free 127.0.0.1 port.</summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReplayServer(WebApplication app, Uri baseAddress, ReplayOptions options)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = options;
    }

    public Uri BaseAddress { get; }

    /// <summary>The recentchange stream's URL on this server.</summary>
    public Uri StreamUrl => new(BaseAddress, "v2/stream/recentchange");

    /// <summary>The live options: changing a fault takes effect at the next request.</summary>
    public ReplayOptions Options { get; }

    public ReplayStatistics Statistics => _app.Services.GetRequiredService<ReplayStatistics>();

    public ReplayCapture Capture => _app.Services.GetRequiredService<ReplayCapture>();

    /// <summary>The capture's served timeline (its loop period, and on the present clock where it was placed).</summary>
    public ReplayTimeline Timeline => _app.Services.GetRequiredService<ReplayTimeline>();

    public static async Task<ReplayServer> StartAsync(ReplayOptions options, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IOptions<ReplayOptions>>(Microsoft.Extensions.Options.Options.Create(options));
        builder.Services.AddReplayServer();
        var app = builder.Build();
        app.MapReplay();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ReplayServer(app, new Uri(address + "/"), options);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
