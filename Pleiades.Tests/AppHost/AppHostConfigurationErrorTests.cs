using System.Net;
using System.Net.Sockets;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.AppHost;

/// <summary>Bad AppHost configuration fails fast: one line on stderr naming what to change, exit code 2.</summary>
[Trait("Category", "Integration")]
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

    [Fact]
    public Task Replay_clock_that_is_neither_now_nor_recorded() =>
        AssertFailsWithOneLineAsync("--replay-clock 'yesterday' is neither now nor recorded",
            "--infra", "embedded", "--embedded-redis-port", "0", "--replay", "data/samples/one_qs_batch.jsonl", "--replay-clock", "yesterday");

    [Fact]
    public Task Unknown_option() =>
        AssertFailsWithOneLineAsync("unknown option '--no-such-option'", "--infra", "embedded", "--no-such-option", "x");

    [Fact]
    public async Task Help_lists_every_option_and_exits_0_without_starting_anything()
    {
        // A taken Garnet port would stop a start at once: --help must not get that far.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await ProcessRunner.RunDotnetAsync(RepositoryPaths.AppHostAssembly, ["--infra", "embedded", "--embedded-redis-port", port, "--help"], Timeout);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        foreach (var option in (string[])["--infra", "--event-log", "--aggregators", "--stream-url", "--replay", "--replay-rate", "--replay-clock",
                     "--embedded-redis-port", "--embedded-data", "--kafka-partitions", "--kafka-ui", "--kafka-volume"])
        {
            Assert.Contains($"  {option} ", result.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Distributed application", result.Output, StringComparison.Ordinal);
    }
}
