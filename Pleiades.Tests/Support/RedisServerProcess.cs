using System.Globalization;

namespace Pleiades.Tests.Support;

/// <summary>Debian's <c>/usr/bin/redis-server</c> (apt), started on a loopback port and returned once it listens.</summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public static class RedisServerProcess
{
    public const string Executable = "/usr/bin/redis-server";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The arguments of a server on 127.0.0.1:<paramref name="port"/> that persists nothing.</summary>
    public static string[] VolatileArguments(int port) =>
        ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];

    /// <summary>Starts redis-server with <paramref name="args"/> and waits (bounded) until <paramref name="port"/> listens.</summary>
    public static async Task<ChildProcess> StartAsync(IEnumerable<string> args, int port)
    {
        var process = ChildProcess.Start("redis-server", Executable, args);
        await process.WaitListeningAsync(port, StartTimeout);
        return process;
    }
}
