using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Web;

/// <summary>
/// A real Redis Sentinel (Debian's redis-server in sentinel mode) on a free loopback port, watching one master
/// under the original's name <c>mymaster</c>; stopped by its PID, its config in a temporary folder.
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RedisSentinel(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisSentinel> StartAsync(int masterPort)
    {
        var port = FreePort.Next();
        var folder = Directory.CreateTempSubdirectory("pleiades-sentinel-").FullName;
        var config = Path.Combine(folder, "sentinel.conf");
        // Sentinel rewrites its config file, so it lives in a folder of its own.
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture,
            $"port {port}\nbind 127.0.0.1\ndir {folder}\nsentinel monitor mymaster 127.0.0.1 {masterPort} 1\n"));
        var start = new ProcessStartInfo("/usr/bin/redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        start.ArgumentList.Add("--sentinel");
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server --sentinel did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, timeout.Token);
                return new RedisSentinel(process, folder, port);
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
