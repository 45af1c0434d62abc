using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Pleiades.Tests.Support;

/// <summary>
/// A service's real WebApplication, built as its Program.cs builds it, run in this process on a free 127.0.0.1 port
/// and reached over real HTTP. Start and stop are bounded.
/// </summary>
public abstract class InProcessWebApp : IAsyncDisposable
{
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    protected InProcessWebApp(WebApplication app)
    {
        _app = app;
        var address = app.Urls.Single();
        Address = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Where it listens, ending in a slash so that relative paths resolve below it.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Its Prometheus text, as a scraper reads it from /metrics.</summary>
    public async Task<string> ScrapeMetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(Address, "metrics"), TestContext.Current.CancellationToken);
    }

    /// <summary>What SIGTERM does: the host stops its services, draining what they hold.</summary>
    public Task StopAsync() => _app.StopAsync(CancellationToken.None).WaitAsync(StartStopTimeout);

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Builds the app with <paramref name="settings"/> (the last of a key wins) on 127.0.0.1:0 (a port the system picks), wires it with
    /// <paramref name="build"/> (the service's own Program.cs calls) and starts it; a failed start is disposed.
    /// </summary>
    protected static async Task<WebApplication> StartAsync(WebApplicationOptions options, IEnumerable<KeyValuePair<string, string?>> settings, Func<WebApplicationBuilder, WebApplication> build)
    {
        var builder = WebApplication.CreateBuilder(options);
        // In configuration, not UseUrls: a service keeps a configured URL (as under the AppHost) over its own default.
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0" };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        var app = build(builder);
        try
        {
            await app.StartAsync().WaitAsync(StartStopTimeout);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
