using Pleiades.Tests.Support;

namespace Pleiades.Tests.Counting;

/// <summary>Debian's <c>/usr/bin/redis-server</c> on a free loopback port, without persistence, stopped by its PID.</summary>
public class DebianRedisServer : RedisProtocolServer
{
    private ChildProcess? _process;

    protected override async Task StartAsync() => _process = await RedisServerProcess.StartAsync(ServerArguments(), Port);

    /// <summary>redis-server's arguments; by default no persistence at all.</summary>
    protected virtual IEnumerable<string> ServerArguments() => RedisServerProcess.VolatileArguments(Port);

    protected override async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Kills the server as a crash would (SIGKILL: it writes nothing more).</summary>
    protected async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }

        await StopAsync();
    }
}
