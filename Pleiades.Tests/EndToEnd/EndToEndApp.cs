using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pleiades.Tests.Support;
using Pleiades.Tests.Web;

namespace Pleiades.Tests.EndToEnd;

/// <summary>
/// The whole application as <c>dotnet run --project Pleiades.AppHost -- --infra embedded --replay CAPTURE</c> runs it
/// (Garnet inside the AppHost, the Replay tool serving a capture, the Ingest, Aggregators and Web as processes),
/// started through Aspire.Hosting.Testing, with what the end-to-end tests do to it: read the Web's counters, kill and
/// start resources, restart Garnet, scrape a service's metrics.
/// </summary>
public sealed class EndToEndApp : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly string[] Services = ["redis", "replay", "ingest", "aggregator", "web"];

    private readonly ConcurrentDictionary<string, ResourceEvent> _instances = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopWatching = new();
    private readonly Task _watching;
    private HttpClient? _web;

    private EndToEndApp(DistributedApplication app)
    {
        App = app;
        _watching = WatchAsync();
    }

    public DistributedApplication App { get; }

    private HttpClient Web => _web ?? throw new InvalidOperationException("The application has not started.");

    /// <summary>
    /// Starts the AppHost in embedded mode on <paramref name="dataDirectory"/>, replaying <paramref name="capture"/> at
    /// <paramref name="replayRate"/> events/s (0: as fast as the Ingest reads) with the recorded event times, plus
    /// <paramref name="arguments"/>; <paramref name="configure"/> may change the model before it is built. Returns once
    /// every service is healthy (the stream is then already flowing).
    /// </summary>
    public static async Task<EndToEndApp> StartAsync(
        string dataDirectory, string capture, int replayRate = 0, IEnumerable<string>? arguments = null,
        Action<IDistributedApplicationTestingBuilder>? configure = null)
    {
        var ct = TestContext.Current.CancellationToken;
        string[] args =
        [
            "--infra", "embedded", "--embedded-redis-port", "0", "--embedded-data", dataDirectory,
            "--replay", capture, "--replay-rate", replayRate.ToString(CultureInfo.InvariantCulture), "--replay-clock", "recorded",
            .. arguments ?? [],
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Pleiades_AppHost>(args, ct).WaitAsync(StartTimeout, ct);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(ct).WaitAsync(StartTimeout, ct);
        var endToEnd = new EndToEndApp(app);
        try
        {
            await app.StartAsync(ct).WaitAsync(StartTimeout, ct);
            endToEnd._web = app.CreateHttpClient("web");
            endToEnd._web.Timeout = RequestTimeout;
            foreach (var name in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name, ct).WaitAsync(StartTimeout, ct);
            }
        }
        catch
        {
            await endToEnd.DisposeAsync();
            throw;
        }

        return endToEnd;
    }

    /// <summary>Stops every process and the embedded servers (what Ctrl-C on <c>dotnet run</c> does).</summary>
    public async ValueTask DisposeAsync()
    {
        _web?.Dispose();
        await App.DisposeAsync();
        await _stopWatching.CancelAsync();
        await _watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopWatching.Dispose();
    }

    /// <summary>The Web's counters: every day of <c>/api/days</c> read from <c>/api/stats/{day}</c>, and <c>/api/stats/all</c>.</summary>
    public async Task<WebCounters> ReadCountersAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var days = new SortedDictionary<long, Dictionary<string, long>>();
        var dayNames = JsonSerializer.Deserialize<string[]>(await Web.GetStringAsync(new Uri("/api/days", UriKind.Relative), ct)) ?? [];
        foreach (var day in dayNames)
        {
            using var stats = JsonDocument.Parse(await Web.GetStringAsync(new Uri($"/api/stats/{day}", UriKind.Relative), ct));
            days[long.Parse(day, CultureInfo.InvariantCulture)] = StatsDocuments.Values(stats.RootElement);
        }

        using var response = await Web.GetAsync(new Uri("/api/stats/all", UriKind.Relative), ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new WebCounters(days, []);
        }

        response.EnsureSuccessStatusCode();
        using var all = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return new WebCounters(days, StatsDocuments.Values(all.RootElement));
    }

    /// <summary>
    /// The all-time total the Web shows (0 before anything is counted), or null when it cannot say now: too many
    /// requests (429), or Redis unreachable (503, while Garnet restarts).
    /// </summary>
    public async Task<long?> ReadTotalAsync()
    {
        using var response = await Web.GetAsync(new Uri("/api/stats/all", UriKind.Relative), TestContext.Current.CancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return 0;
            case HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable:
                return null;
        }

        response.EnsureSuccessStatusCode();
        using var all = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return StatsDocuments.Values(all.RootElement).GetValueOrDefault("pleiades_total");
    }

    /// <summary>The all-time total the Web shows now.</summary>
    public Task<long> ReadCountedAsync() => WaitForCountedAsync(0, RequestTimeout);

    /// <summary>Waits until the Web shows at least <paramref name="events"/> counted events; returns the total seen.</summary>
    public async Task<long> WaitForCountedAsync(long events, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        long total = 0;
        while ((total = await ReadTotalAsync() ?? total) < events)
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"{events} events were not counted on the Web within {timeout.TotalSeconds} s ({total} were)");
            await Task.Delay(PollInterval, TestContext.Current.CancellationToken);
        }

        return total;
    }

    /// <summary>
    /// Waits until every day's counters and the all-time counters on the Web equal <paramref name="expected"/>'s, and
    /// are still equal a moment later (nothing counted twice arrives late); fails with the differences after
    /// <paramref name="timeout"/>. Returns how long it took.
    /// </summary>
    public async Task<TimeSpan> WaitForExactCountersAsync(ExpectedCounters expected, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var wanted = new WebCounters(
            new SortedDictionary<long, Dictionary<string, long>>(expected.Days.ToDictionary(d => d.Key, d => d.Value.ToDictionary(StringComparer.Ordinal))),
            expected.AllTime.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
        var wantedTotal = expected.AllTime.GetValueOrDefault("pleiades_total");
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            // The total alone until it is there, then every day's counters: the API limits each client's requests.
            if (await ReadTotalAsync() >= wantedTotal)
            {
                if (wanted.Differences(await ReadCountersAsync()) is null)
                {
                    var reached = Stopwatch.GetElapsedTime(started);
                    await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
                    Assert.Null(wanted.Differences(await ReadCountersAsync()));
                    return reached;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            }

            await Task.Delay(PollInterval, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The Web's counters did not reach the oracle's within {timeout.TotalSeconds} s: {wanted.Differences(await ReadCountersAsync())}");
        return timeout;
    }

    /// <summary>The Prometheus text a service serves at /metrics (through its resource's endpoint).</summary>
    public async Task<string> ScrapeAsync(string resource)
    {
        using var client = App.CreateHttpClient(resource);
        client.Timeout = RequestTimeout;
        return await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
    }

    /// <summary>Waits until <paramref name="resource"/>'s <paramref name="series"/> reaches <paramref name="value"/>; returns the value seen.</summary>
    public async Task<double> WaitForMetricAsync(string resource, string series, double value, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        double seen;
        while ((seen = MetricsText.OptionalValue(await ScrapeAsync(resource), series) ?? 0) < value)
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, $"{resource}'s {series} did not reach {value} within {timeout.TotalSeconds} s ({seen} was)");
            await Task.Delay(PollInterval, TestContext.Current.CancellationToken);
        }

        return seen;
    }

    /// <summary>
    /// Kills the process of (one instance of) <paramref name="resource"/> with SIGKILL, as a crash or the OOM killer
    /// would, and waits until the AppHost sees it gone; returns the instance's id, for <see cref="StartResourceAsync"/>.
    /// </summary>
    public async Task<string> KillAsync(string resource)
    {
        var instance = _instances.Values.First(e => e.Resource.Name == resource && e.Snapshot.State?.Text == KnownResourceStates.Running);
        var pid = instance.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
        using (var process = Process.GetProcessById(Convert.ToInt32(pid, CultureInfo.InvariantCulture)))
        {
            // The whole tree: the process the AppHost started may be a launcher of the service.
            process.Kill(entireProcessTree: true);
        }

        await Eventually.WaitUntilAsync(
            () => _instances.TryGetValue(instance.ResourceId, out var e) && e.Snapshot.State?.Text != KnownResourceStates.Running,
            StartTimeout, $"{instance.ResourceId} seen stopped after SIGKILL");
        return instance.ResourceId;
    }

    /// <summary>Runs a resource command (resource-start, resource-stop, resource-restart, ...) on an instance or resource and waits until it is healthy again.</summary>
    public async Task RunCommandAsync(string resourceId, string command)
    {
        var ct = TestContext.Current.CancellationToken;
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, command, ct).WaitAsync(StartTimeout, ct);
        Assert.True(result.Success, $"{command} on {resourceId}: {result.Message}");
        if (command != KnownResourceCommands.StopCommand)
        {
            await WaitForHealthyAsync(resourceId);
        }
    }

    /// <summary>Starts a resource declared with an explicit start, or one that was killed or stopped.</summary>
    public Task StartResourceAsync(string resourceId) => RunCommandAsync(resourceId, KnownResourceCommands.StartCommand);

    private Task WaitForHealthyAsync(string resourceId) =>
        Eventually.WaitUntilAsync(
            () => _instances.Values.Any(e => (e.ResourceId == resourceId || e.Resource.Name == resourceId)
                && e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy),
            StartTimeout, $"{resourceId} running and healthy");

    /// <summary>Keeps the latest state of every resource instance (replicas each have their own id).</summary>
    private async Task WatchAsync()
    {
        await Task.Yield();
        try
        {
            await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(_stopWatching.Token))
            {
                _instances[resourceEvent.ResourceId] = resourceEvent;
            }
        }
        catch (OperationCanceledException) when (_stopWatching.IsCancellationRequested)
        {
        }
    }
}
