using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.Tests.Support;
using Pleiades.Web;

namespace Pleiades.Tests.Web;

/// <summary>The Web's real WebApplication in this process (see <see cref="InProcessWebApp"/>), with a client for it.</summary>
public sealed class WebAppHost : InProcessWebApp
{
    private WebAppHost(WebApplication app)
        : base(app)
    {
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts the Web over <paramref name="redisConnectionString"/>, with <paramref name="settings"/> on top of its
    /// configuration and <paramref name="time"/> as its clock (the system's when null).</summary>
    public static async Task<WebAppHost> StartAsync(string redisConnectionString, IDictionary<string, string?>? settings = null, string environment = "Development", TimeProvider? time = null)
    {
        var options = new WebApplicationOptions
        {
            // The application name selects the Meter ServiceDefaults exports and the static web assets manifest.
            ApplicationName = "Pleiades.Web",
            EnvironmentName = environment,
            ContentRootPath = WebTestPaths.WebProject,
        };
        Dictionary<string, string?> defaults = new()
        {
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = await StartAsync(options, [.. defaults, .. settings ?? new Dictionary<string, string?>()], builder =>
        {
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }

            builder.AddWebHost();
            var app = builder.Build();
            app.MapWebApplication();
            return app;
        });
        return new WebAppHost(app);
    }

    public override async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await base.DisposeAsync();
    }
}
