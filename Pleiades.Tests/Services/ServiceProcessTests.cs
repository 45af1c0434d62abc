using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Services;

/// <summary>Each service run on its own, as a user would: --help, bad flags, and its metrics port.</summary>
[Trait("Category", "Integration")]
public class ServiceProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Services => ["Pleiades.Ingest", "Pleiades.Aggregator", "Pleiades.Web"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Help_lists_the_flags_and_exits_zero(string service)
    {
        var result = await ProcessRunner.RunDotnetAsync(ServiceProcess.AssemblyPath(service), ["--help"], Timeout);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--metricsPort", result.Output, StringComparison.Ordinal);
        Assert.Contains("--verbose", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_bad_flag_is_one_line_on_stderr_and_exit_code_2(string service)
    {
        var result = await ProcessRunner.RunDotnetAsync(ServiceProcess.AssemblyPath(service), ["--no-such-flag"], Timeout);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown flag '--no-such-flag'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_in_configuration_are_one_line_on_stderr_and_exit_code_2()
    {
        var log = Directory.CreateTempSubdirectory("pleiades-badconfig-").FullName;
        try
        {
            await AssertSettingsRejectedAsync(
                "Pleiades.Ingest",
                "pleiades-ingest",
                ["--file.enable", "--file.publishDir", log],
                new Dictionary<string, string?>
                {
                    ["EventLog__File__RetentionHours"] = "-1",
                    ["EventLog__File__RetentionBytes"] = "1000",
                    ["Ingest__ReadTimeout"] = "00:00:00",
                },
                "EventLog:File:RetentionHours", "EventLog:File:RetentionBytes", "Ingest:ReadTimeout");
        }
        finally
        {
            Directory.Delete(log, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_proxy_rate_limit_and_transport_settings_of_the_Web_are_one_line_on_stderr_and_exit_code_2()
    {
        await AssertSettingsRejectedAsync(
            "Pleiades.Web",
            "pleiades-web",
            ["--listen-addr", $"127.0.0.1:{FreePort.Next()}", "--frontend-redis-addr", "127.0.0.1:1"],
            new Dictionary<string, string?>
            {
                ["Web__ForwardedHeaders__KnownProxies__0"] = "proxy.internal",
                ["Web__ForwardedHeaders__KnownNetworks__0"] = "10.0.0.1/8",
                ["Web__ForwardedHeaders__ForwardLimit"] = "0",
                ["Web__Api__RateLimitIPv6PrefixLength"] = "129",
                ["Web__Transport__MemoryBlockSize"] = "1000",
            },
            "'proxy.internal' is not an IP address",
            "'10.0.0.1/8' is not a network in CIDR notation",
            "Web:ForwardedHeaders:ForwardLimit",
            "Web:Api:RateLimitIPv6PrefixLength must be between 1 and 128",
            "Web:Transport:MemoryBlockSize must be between 4096 and 1048576");
    }

    /// <summary>
    /// Client settings that do not parse, that librdkafka or StackExchange.Redis refuses, that the binder cannot convert
    /// while the services are registered, or the replay's capture: each was a stack trace (an abort, a stopped host, or a consuming loop restarting
    /// forever). Now one line naming the setting, exit code 2, before anything starts.
    /// </summary>
    public static TheoryData<string, string, string, string> BadClientSettings => new()
    {
        { "Pleiades.Ingest", "Aspire__Confluent__Kafka__Producer__Config__LingerMs", "abc", "Aspire:Confluent:Kafka:Producer:Config:linger.ms: Invalid value" },
        { "Pleiades.Ingest", "Aspire__Confluent__Kafka__Producer__Config__CompressionType", "zip", "Aspire:Confluent:Kafka:Producer:Config:compression.type: Invalid value \"zip\"" },
        { "Pleiades.Ingest", "Aspire__Confluent__Kafka__Producer__Config__BatchNumMessages", "-5", "Aspire:Confluent:Kafka:Producer:Config:batch.num.messages: Configuration property \"batch.num.messages\" value -5 is outside allowed range" },
        { "Pleiades.Ingest", "Aspire__Confluent__Kafka__Producer__Config__Acks", "0", "`acks` must be set to `all` when `enable.idempotence` is true" },
        { "Pleiades.Ingest", "Aspire__Confluent__Kafka__Producer__Config__NoSuchProperty", "1", "no.such.property: No such configuration property" },
        { "Pleiades.Ingest", "Aspire__Confluent__Kafka__Producer__DisableMetrics", "maybe", "'Aspire:Confluent:Kafka:Producer:DisableMetrics'" },
        { "Pleiades.Aggregator", "Aspire__Confluent__Kafka__Consumer__Config__FetchMaxBytes", "abc", "Aspire:Confluent:Kafka:Consumer:Config:fetch.max.bytes: Invalid value" },
        { "Pleiades.Aggregator", "Aspire__Confluent__Kafka__Consumer__Config__GroupProtocol", "zzz", "Aspire:Confluent:Kafka:Consumer:Config:group.protocol: Invalid value \"zzz\"" },
        { "Pleiades.Aggregator", "Aspire__Confluent__Kafka__Producer__Config__LingerMs", "abc", "Aspire:Confluent:Kafka:Producer:Config:linger.ms: Invalid value" },
        { "Pleiades.Aggregator", "Aggregator__BatchMaxEvents", "abc", "Failed to convert configuration value 'abc' at 'Aggregator:BatchMaxEvents'" },
        { "Pleiades.Aggregator", "ConnectionStrings__redis", "127.0.0.1:1,connectTimeout=abc", "ConnectionStrings:redis: Keyword 'connectTimeout' requires an integer value" },
        { "Pleiades.Web", "ConnectionStrings__redis", "127.0.0.1:1,noSuchOption=1", "ConnectionStrings:redis: Keyword 'noSuchOption' is not supported" },
        { "Pleiades.Web", "Web__Redis__UseSentinel", "maybe", "Failed to convert configuration value 'maybe' at 'Web:Redis:UseSentinel'" },
        { "Pleiades.Replay", "Replay__Capture", "/no/such/capture.sse", "Replay:Capture: Could not find" },
        { "Pleiades.Replay", "Replay__Rate", "abc", "Failed to convert configuration value 'abc' at 'Replay:Rate'" },
    };

    [Theory]
    [MemberData(nameof(BadClientSettings))]
    public async Task A_bad_client_setting_is_one_line_on_stderr_and_exit_code_2(string service, string variable, string value, string problem)
    {
        // Addresses where nothing listens: the service must stop before it connects to anything.
        string[] args = service switch
        {
            "Pleiades.Ingest" => ["--kafka.broker", "127.0.0.1:1", "--stream.url", "http://127.0.0.1:1/x"],
            "Pleiades.Aggregator" => ["--kafka.broker", "127.0.0.1:1"],
            "Pleiades.Replay" => ["--listen", $"http://127.0.0.1:{FreePort.Next()}"],
            _ => ["--listen-addr", $"127.0.0.1:{FreePort.Next()}"],
        };

        await AssertSettingsRejectedAsync(service, "pleiades-" + service["Pleiades.".Length..].ToLowerInvariant(), args,
            new Dictionary<string, string?> { [variable] = value }, problem);
    }

    [Fact]
    public async Task Standalone_service_serves_prometheus_metrics_on_its_metrics_port()
    {
        var site = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        await using var web = await ServiceProcess.StartAsync(
            "Pleiades.Web",
            ["--listen-addr", $"{site.Host}:{site.Port}", "--frontend-redis-addr", "127.0.0.1:1"],
            Timeout,
            new ChildProcessOptions { WorkingDirectory = AppContext.BaseDirectory, OnLine = TestOutput.OfCurrentTest() });

        // One API request on the site (Redis is unreachable: a 503) shows in the contract's series on the metrics port.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) })
        using (var response = await http.GetAsync(new Uri(site, "api/days"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var metrics = "";
        await Eventually.WaitUntilAsync(
            async () =>
            {
                metrics = await web.ScrapeMetricsAsync(TestContext.Current.CancellationToken);
                return MetricsText.OptionalValue(metrics, "pleiades_web_http_response_total", "path=\"/api/days\"") >= 1;
            },
            Timeout,
            "/metrics counting the /api/days request");
        Assert.Contains("# TYPE pleiades_web_http_response_total counter", metrics, StringComparison.Ordinal);
        Assert.Equal(1, MetricsText.Value(metrics, "pleiades_web_http_duration_seconds_count", "path=\"/api/days\""));
    }

    /// <summary>
    /// Started from any other directory, a service still reads the appsettings.json it ships with: its content root is
    /// the program's directory. (With the working directory as content root, the Web logged every request at Information.)
    /// </summary>
    [Fact]
    public async Task Standalone_service_started_elsewhere_uses_its_own_directory_as_content_root()
    {
        var elsewhere = Directory.CreateTempSubdirectory("pleiades-cwd-").FullName;
        try
        {
            await using var web = await ServiceProcess.StartAsync(
                "Pleiades.Web",
                ["--listen-addr", $"127.0.0.1:{FreePort.Next()}", "--frontend-redis-addr", "127.0.0.1:1"],
                Timeout,
                new ChildProcessOptions { WorkingDirectory = elsewhere, OnLine = TestOutput.OfCurrentTest() });

            var expected = "Content root path: " + Path.GetDirectoryName(ServiceProcess.AssemblyPath("Pleiades.Web"));
            await Eventually.WaitUntilAsync(() => web.Output.Contains(expected, StringComparison.Ordinal), Timeout, $"the Web logging '{expected}'");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="service"/> with settings it must refuse at start: exit code 2 and one line on stderr naming every problem.</summary>
    private static async Task AssertSettingsRejectedAsync(
        string service, string commandName, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, params string[] problems)
    {
        var metricsPort = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await ProcessRunner.RunDotnetAsync(ServiceProcess.AssemblyPath(service), [.. args, "--metricsPort", metricsPort], Timeout, environment: environment);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(commandName + ": ", line, StringComparison.Ordinal);
        Assert.All(problems, problem => Assert.Contains(problem, line, StringComparison.Ordinal));
        // Nothing started, so nothing else was said: no stack trace, no log.
        Assert.DoesNotContain("Exception", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
