using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Services;

/// <summary>A service on its own listens where its flags say and nowhere else, whether built or started with <c>dotnet run</c>.</summary>
[Trait("Category", "Integration")]
public sealed class StandaloneListenTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private readonly string _root = Directory.CreateTempSubdirectory("pleiades-listen-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Two_ingests_started_with_dotnet_run_on_different_metrics_ports_run_side_by_side()
    {
        // `dotnet run` applied the project's launch profile, whose fixed URL the second instance then found taken.
        await using var first = StartWithDotnetRun("Pleiades.Ingest", FreePort.Next(), "first");
        await using var second = StartWithDotnetRun("Pleiades.Ingest", FreePort.Next(), "second");

        await first.Process.WaitListeningAsync(first.Port, Timeout);
        await second.Process.WaitListeningAsync(second.Port, Timeout);
        await first.Process.EnsureRunningAsync("the first Ingest runs beside the second");
        await second.Process.EnsureRunningAsync("the second Ingest runs beside the first");
    }

    [Fact]
    public async Task A_metrics_port_in_use_is_one_line_on_stderr_and_exit_code_2()
    {
        using var holder = HoldAnyAddressPort(out var port);

        var result = await RunAsync("Pleiades.Ingest",
            ["--file.enable", "--file.publishDir", Path.Combine(_root, "events"), "--stream.url", "http://127.0.0.1:9/v2/stream/recentchange",
             "--metricsPort", port.ToString(CultureInfo.InvariantCulture)]);

        AssertAddressInUse(result, "pleiades-ingest: ", $":{port}: address already in use");
    }

    [Fact]
    public async Task A_listen_address_in_use_is_one_line_on_stderr_and_exit_code_2()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await RunAsync("Pleiades.Web",
            ["--listen-addr", $"127.0.0.1:{port}", "--frontend-redis-addr", "127.0.0.1:1", "--metricsPort", FreePort.Next().ToString(CultureInfo.InvariantCulture)]);

        AssertAddressInUse(result, "pleiades-web: ", $"127.0.0.1:{port}: address already in use");
    }

    private static Task<ProcessRunner.Result> RunAsync(string service, string[] args) =>
        ProcessRunner.RunDotnetAsync(ServiceProcess.AssemblyPath(service), args, Timeout,
            environment: new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = null, ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null });

    /// <summary>Exit code 2 and one line on stderr, no stack trace anywhere.</summary>
    private static void AssertAddressInUse(ProcessRunner.Result result, string prefix, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    /// <summary>A socket on every address (IPv6's, dual mode, as Kestrel binds <c>http://*:P</c>) of a free port.</summary>
    private static Socket HoldAnyAddressPort(out int port)
    {
        var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        socket.Listen();
        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }

    private sealed record RunningService(ChildProcess Process, int Port, string Marker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            // `dotnet run` starts the service as its own child: stop that one too, found by its unique arguments.
            foreach (var pid in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
            {
                var commandLine = TryRead($"/proc/{pid}/cmdline");
                if (commandLine is not null && commandLine.Contains(Marker, StringComparison.Ordinal))
                {
                    try
                    {
                        using var leftover = System.Diagnostics.Process.GetProcessById(int.Parse(pid!, CultureInfo.InvariantCulture));
                        leftover.Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                        // It stopped meanwhile.
                    }
                }
            }
        }

        private static string? TryRead(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    private RunningService StartWithDotnetRun(string project, int metricsPort, string name)
    {
        var process = ChildProcess.Start(
            $"{project} ({name})",
            "dotnet",
            ["run", "--no-build", "--project", Path.Combine(RepositoryPaths.RepositoryRoot, project), "--",
             "--file.enable", "--file.publishDir", Path.Combine(_root, name), "--stream.url", "http://127.0.0.1:9/v2/stream/recentchange",
             "--metricsPort", metricsPort.ToString(CultureInfo.InvariantCulture)],
            new ChildProcessOptions
            {
                Environment = new Dictionary<string, string?>
                {
                    ["ASPNETCORE_URLS"] = null,
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
                    ["Ingest__StateDirectory"] = Path.Combine(_root, name + "-state"),
                },
                OnLine = TestOutput.OfCurrentTest(),
            });
        return new RunningService(process, metricsPort, Path.Combine(_root, name));
    }
}
