using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pleiades.Ingest;

namespace Pleiades.Tests.Ingest;

/// <summary>The Ingest running in this process exactly as Program.cs wires it, on a free 127.0.0.1 port.</summary>
public sealed class IngestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IngestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

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

    public static async Task<IngestHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = IngestTelemetry.Name });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IngestHost(app, new Uri(address + "/"));
    }

    /// <summary>Waits (bounded) until the publisher has acknowledged <paramref name="count"/> events (its counters are final for them then).</summary>
    public async Task WaitForPublishedAsync(long count, TimeSpan timeout)
    {
        var progress = Services.GetRequiredService<Pleiades.Ingest.Relay.RelayProgress>();
        await Eventually.WaitUntilAsync(() => progress.Published >= count, timeout, $"publishing {count} events");
    }

    /// <summary>What SIGTERM does: stop reading, drain the buffer into the log, exit.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
