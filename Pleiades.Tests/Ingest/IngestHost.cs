using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pleiades.Ingest;
using Pleiades.Ingest.Telemetry;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Ingest;

/// <summary>The Ingest's real WebApplication in this process, wired exactly as Program.cs wires it (see <see cref="InProcessWebApp"/>).</summary>
public sealed class IngestHost : InProcessWebApp
{
    private IngestHost(WebApplication app)
        : base(app)
    {
    }

    /// <summary>Settings every test wants: the replay's URL, fast reconnects, small batches, no progress noise.</summary>
    public static Dictionary<string, string?> BaseSettings(Uri streamUrl, string stateDirectory) => new()
    {
        ["Ingest:StreamUrl"] = streamUrl.ToString(),
        ["Ingest:MinBackoff"] = "00:00:00.010",
        ["Ingest:MaxBackoff"] = "00:00:00.200",
        ["Ingest:ReadTimeout"] = "00:00:05",
        ["Ingest:StateDirectory"] = stateDirectory,
        ["Ingest:BatchSize"] = "64",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary><see cref="BaseSettings"/> with the file log in <paramref name="logDirectory"/>.</summary>
    public static Dictionary<string, string?> FileLogSettings(Uri streamUrl, string logDirectory, string stateDirectory)
    {
        var settings = BaseSettings(streamUrl, stateDirectory);
        settings["EventLog:File:Enabled"] = "true";
        settings["EventLog:File:Directory"] = logDirectory;
        return settings;
    }

    public static async Task<IngestHost> StartAsync(IDictionary<string, string?> settings) =>
        new(await StartAsync(new WebApplicationOptions { ApplicationName = IngestTelemetry.Name }, settings, builder =>
        {
            builder.AddServiceDefaults();
            builder.AddApplicationServices();
            var app = builder.Build();
            app.MapDefaultEndpoints();
            return app;
        }));

    /// <summary>Waits (bounded) until the publisher has acknowledged <paramref name="count"/> events (its counters are final for them then).</summary>
    public async Task WaitForPublishedAsync(long count, TimeSpan timeout)
    {
        var progress = Services.GetRequiredService<RelayProgress>();
        await Eventually.WaitUntilAsync(() => progress.Published >= count, timeout, $"publishing {count} events");
    }
}
