using System.Globalization;

namespace Pleiades.Tests.Counting;

/// <summary>
/// redis-server with an append-only file synced on every write, in a temporary directory, that a test can crash
/// (SIGKILL) and start again on the same port: an outage that loses nothing that was acknowledged.
/// </summary>
public sealed class DurableDebianRedisServer : DebianRedisServer
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pleiades-redis-").FullName;

    /// <summary>Kills the server as a crash would.</summary>
    public Task CrashAsync() => StopAsync();

    public Task RestartAsync() => StartAsync();

    protected override IEnumerable<string> ServerArguments() =>
    [
        "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory,
    ];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
