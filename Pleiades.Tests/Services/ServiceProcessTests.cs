using System.Diagnostics;
using System.Globalization;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Services;

/// <summary>Each service run on its own, as a user would: --help, bad flags, and its metrics port.</summary>
public class ServiceProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Services => ["Pleiades.Ingest", "Pleiades.Aggregator", "Pleiades.Web"];

    private static string Assembly(string service) => Path.Combine(AppContext.BaseDirectory, service + ".dll");

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Help_lists_the_flags_and_exits_zero(string service)
    {
        var result = await ProcessRunner.RunDotnetAsync(Assembly(service), ["--help"], Timeout);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--metricsPort", result.Output, StringComparison.Ordinal);
        Assert.Contains("--verbose", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_bad_flag_is_one_line_on_stderr_and_exit_code_2(string service)
    {
        var result = await ProcessRunner.RunDotnetAsync(Assembly(service), ["--no-such-flag"], Timeout);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown flag '--no-such-flag'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standalone_service_serves_prometheus_metrics_on_its_metrics_port()
    {
        var metricsPort = FreePort.Next();
        var sitePort = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
        {
            Assembly("Pleiades.Web"), "--metricsPort", metricsPort.ToString(CultureInfo.InvariantCulture),
            "--listen-addr", $"127.0.0.1:{sitePort}", "--frontend-redis-addr", "127.0.0.1:1",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient();
            var deadline = DateTime.UtcNow + Timeout;
            string? metrics = null;
            while (metrics is null && DateTime.UtcNow < deadline && !process.HasExited)
            {
                try
                {
                    metrics = await client.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), TestContext.Current.CancellationToken);
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200, TestContext.Current.CancellationToken);
                }
            }

            Assert.NotNull(metrics);
            Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }
}
