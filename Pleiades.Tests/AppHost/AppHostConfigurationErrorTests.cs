using System.Net;
using System.Net.Sockets;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.AppHost;

/// <summary>Bad AppHost configuration fails fast: one line on stderr naming what to change, exit code 2.</summary>
public class AppHostConfigurationErrorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static async Task AssertFailsWithOneLineAsync(string expected, params string[] args)
    {
        var result = await ProcessRunner.RunDotnetAsync(RepositoryPaths.AppHostAssembly, args, Timeout);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("pleiades-apphost: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public Task Unknown_infra_mode() =>
        AssertFailsWithOneLineAsync("--infra 'kubernetes' is not one of containers, embedded, external, auto", "--infra", "kubernetes");

    [Fact]
    public Task Malformed_external_connection_string() =>
        AssertFailsWithOneLineAsync("ConnectionStrings:kafka is malformed",
            "--infra", "external", "--ConnectionStrings:kafka", "broker-without-port", "--ConnectionStrings:redis", "localhost:6379");

    [Fact]
    public Task Missing_external_connection_string() =>
        AssertFailsWithOneLineAsync("--infra external needs ConnectionStrings:redis",
            "--infra", "external", "--ConnectionStrings:kafka", "localhost:9092");

    [Fact]
    public async Task Embedded_redis_port_in_use()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await AssertFailsWithOneLineAsync($"port {port} for the embedded Redis (Garnet) is in use",
            "--infra", "embedded", "--embedded-redis-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task More_than_one_aggregator_on_the_file_log() =>
        AssertFailsWithOneLineAsync("--aggregators 2 needs --event-log kafka: the file log is read by exactly one Aggregator",
            "--infra", "embedded", "--embedded-redis-port", "0", "--aggregators", "2");

    [Fact]
    public Task Unknown_event_log() =>
        AssertFailsWithOneLineAsync("--event-log 'disk' is not one of file, kafka", "--infra", "embedded", "--embedded-redis-port", "0", "--event-log", "disk");

    [Fact]
    public Task Stream_url_that_is_not_http() =>
        AssertFailsWithOneLineAsync("--stream-url 'ftp://example.org/x' is not an http(s) URL",
            "--infra", "embedded", "--embedded-redis-port", "0", "--stream-url", "ftp://example.org/x");

    [Fact]
    public Task Replay_capture_that_does_not_exist() =>
        AssertFailsWithOneLineAsync("--replay: no capture file at", "--infra", "embedded", "--embedded-redis-port", "0", "--replay", "no-such-capture.sse");
}
