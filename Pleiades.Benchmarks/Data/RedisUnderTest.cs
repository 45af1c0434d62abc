using System.Globalization;
using Garnet;
using Pleiades.Hosting.Embedded;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Benchmarks.Data;

/// <summary>
/// The Redis a benchmark writes to: Garnet in this process (as the AppHost's embedded mode runs it, volatile), or
/// Debian's redis-server in its own process without persistence, stopped by its PID.
/// </summary>
internal sealed class RedisUnderTest : IAsyncDisposable
{
    public const string Garnet = "garnet";
    public const string RedisServer = "redis-server";

    private readonly GarnetServer? _garnet;
    private readonly ChildProcess? _process;

    private RedisUnderTest(string kind, int port, GarnetServer? garnet, ChildProcess? process, ConnectionMultiplexer connection)
    {
        Kind = kind;
        Port = port;
        _garnet = garnet;
        _process = process;
        Connection = connection;
    }

    public string Kind { get; }

    public int Port { get; }

    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public ConnectionMultiplexer Connection { get; }

    /// <summary>The redis-server process (null for Garnet, which lives in this process).</summary>
    public int? ProcessId => _process?.Id;

    public static async Task<RedisUnderTest> StartAsync(string kind)
    {
        var port = FreePort.Next();
        GarnetServer? garnet = null;
        ChildProcess? process = null;
        if (kind == Garnet)
        {
            garnet = GarnetServerFactory.Create(port);
            garnet.Start();
        }
        else if (kind == RedisServer)
        {
            process = await RedisServerProcess.StartAsync(RedisServerProcess.VolatileArguments(port), port);
        }
        else
        {
            throw new ArgumentException($"unknown Redis '{kind}' (garnet or redis-server)", nameof(kind));
        }

        var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true");
        return new RedisUnderTest(kind, port, garnet, process, connection);
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _garnet?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
