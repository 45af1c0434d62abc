using System.Globalization;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Counting;

/// <summary>
/// A real Redis Sentinel (Debian's redis-server in sentinel mode) on a free loopback port, watching one master
/// under the original's name <c>mymaster</c>; stopped by its PID, its config in a temporary folder.
/// </summary>
public sealed class RedisSentinel : IAsyncDisposable
{
    public const string MasterName = "mymaster";

    private readonly ChildProcess _process;
    private readonly string _folder;

    private RedisSentinel(ChildProcess process, string folder, int port)
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
        // Sentinel rewrites its config file, so it lives in a folder of its own.
        var folder = Directory.CreateTempSubdirectory("pleiades-sentinel-").FullName;
        try
        {
            var config = Path.Combine(folder, "sentinel.conf");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture,
                $"port {port}\nbind 127.0.0.1\ndir {folder}\nsentinel monitor {MasterName} 127.0.0.1 {masterPort} 1\n"));
            return new RedisSentinel(await RedisServerProcess.StartAsync([config, "--sentinel"], port), folder, port);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
