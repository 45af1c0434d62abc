using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Pleiades.Web;

namespace Pleiades.Tests.Web;

/// <summary>
/// The Web's real WebApplication, built as Program.cs builds it, run in-process on a free 127.0.0.1 port
/// and reached over real HTTP.
/// </summary>
public sealed class WebAppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebAppHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebAppHost> StartAsync(string redisConnectionString, IDictionary<string, string?>? settings = null, string environment = "Development")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The application name selects the Meter ServiceDefaults exports and the static web assets manifest.
            ApplicationName = "Pleiades.Web",
            EnvironmentName = environment,
            ContentRootPath = WebTestPaths.WebProject,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddWebHost();
        var app = builder.Build();
        app.MapWebApplication();
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Urls.Single();
        return new WebAppHost(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
