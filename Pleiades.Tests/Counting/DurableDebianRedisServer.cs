namespace Pleiades.Tests.Counting;

/// <summary>
/// redis-server with an append-only file synced on every write, in a temporary directory, that a test can crash
/// (SIGKILL) and start again on the same port: an outage that loses nothing that was acknowledged.
/// </summary>
public sealed class DurableDebianRedisServer : DebianRedisServer
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pleiades-redis-").FullName;

    /// <summary>Kills the server as a crash would.</summary>
    public Task CrashAsync() => KillAsync();

    public Task RestartAsync() => StartAsync();

    // Later arguments win: the volatile server's "--appendonly no" is overridden.
    protected override IEnumerable<string> ServerArguments() =>
        [.. base.ServerArguments(), "--appendonly", "yes", "--appendfsync", "always", "--dir", _directory];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
