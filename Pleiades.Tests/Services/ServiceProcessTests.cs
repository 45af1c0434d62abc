using System.Diagnostics;
using System.Globalization;
using System.Text;
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
        using var web = StartStandaloneWeb(AppContext.BaseDirectory, metricsPort);
        try
        {
            var metrics = await GetWhenListeningAsync(web, new Uri($"http://127.0.0.1:{metricsPort}/metrics"));

            Assert.NotNull(metrics);
            Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
        }
        finally
        {
            web.Kill(entireProcessTree: true);
            await web.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Started from any other directory, a service still reads the appsettings.json it ships with: its content root is
    /// the program's directory. (With the working directory as content root, the Web logged every request at Information.)
    /// </summary>
    [Fact]
    public async Task Standalone_service_started_elsewhere_uses_its_own_directory_as_content_root()
    {
        var elsewhere = Directory.CreateTempSubdirectory("pleiades-cwd-").FullName;
        var metricsPort = FreePort.Next();
        var output = new StringBuilder();
        using var web = StartStandaloneWeb(elsewhere, metricsPort);
        web.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
        };
        web.BeginOutputReadLine();
        try
        {
            Assert.NotNull(await GetWhenListeningAsync(web, new Uri($"http://127.0.0.1:{metricsPort}/metrics")));
            var expected = "Content root path: " + Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
            var deadline = DateTime.UtcNow + Timeout;
            while (!Logged(output, expected) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            Assert.True(Logged(output, expected), output.ToString());
        }
        finally
        {
            web.Kill(entireProcessTree: true);
            await web.WaitForExitAsync(TestContext.Current.CancellationToken);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static bool Logged(StringBuilder output, string text)
    {
        lock (output)
        {
            return output.ToString().Contains(text, StringComparison.Ordinal);
        }
    }

    /// <summary>The Web on its own, as a user starts it, with a Redis address where nothing listens.</summary>
    private static Process StartStandaloneWeb(string workingDirectory, int metricsPort)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in new[]
        {
            Assembly("Pleiades.Web"), "--metricsPort", metricsPort.ToString(CultureInfo.InvariantCulture),
            "--listen-addr", $"127.0.0.1:{FreePort.Next()}", "--frontend-redis-addr", "127.0.0.1:1",
        })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>The body of <paramref name="address"/> once the process answers there (null if it exits or never answers in time).</summary>
    private static async Task<string?> GetWhenListeningAsync(Process process, Uri address)
    {
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                return await client.GetStringAsync(address, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200, TestContext.Current.CancellationToken);
            }
        }

        return null;
    }
}
