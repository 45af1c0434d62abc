using System.Net;
using System.Net.Sockets;
using Pleiades.Hosting.Embedded;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Hosting;

/// <summary>The embedded Redis-protocol server answers the commands the counters use and keeps its data across a restart.</summary>
[Trait("Category", "Integration")]
public sealed class GarnetServerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pleiades-garnet-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static async Task<ConnectionMultiplexer> ConnectAsync(int port) =>
        await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}").WaitAsync(Timeout);

    [Fact]
    public async Task Answers_the_commands_the_counters_use()
    {
        var port = FreePort.Next();
        using var server = GarnetServerFactory.Create(port);
        server.Start();
        await using var redis = await ConnectAsync(port);
        var db = redis.GetDatabase();

        var batch = db.CreateBatch();
        var increments = Enumerable.Range(0, 100).Select(_ => batch.HashIncrementAsync("pleiades:counters:20695", "pleiades_total", 1)).ToList();
        var sorted = batch.SortedSetIncrementAsync("pleiades:days", "20695", 0);
        var hyperLogLog = batch.HyperLogLogAddAsync("pleiades:editors:20695", ["alice", "bob", "alice"]);
        batch.Execute();
        await Task.WhenAll(increments);
        await Task.WhenAll(sorted, hyperLogLog);

        Assert.Equal(100, (long)await db.HashGetAsync("pleiades:counters:20695", "pleiades_total"));
        Assert.Equal(["20695"], (await db.SortedSetRangeByRankAsync("pleiades:days")).Select(v => v.ToString()));
        Assert.Equal(2, await db.HyperLogLogLengthAsync("pleiades:editors:20695"));
        Assert.True(await db.KeyExpireAsync("pleiades:counters:20695", TimeSpan.FromDays(1)));
        Assert.NotNull(await db.KeyTimeToLiveAsync("pleiades:counters:20695"));
    }

    [Fact]
    public async Task Lua_scripts_run_atomically_so_a_position_guard_applies_a_batch_once()
    {
        var port = FreePort.Next();
        using var server = GarnetServerFactory.Create(port);
        server.Start();
        await using var redis = await ConnectAsync(port);
        var db = redis.GetDatabase();

        // Applies the delta only when the stored position is the batch's start, then advances it.
        const string Script = """
            local position = tonumber(redis.call('HGET', KEYS[2], 'p0') or '0')
            if position ~= tonumber(ARGV[1]) then return 0 end
            redis.call('HINCRBY', KEYS[1], 'pleiades_total', ARGV[3])
            redis.call('HSET', KEYS[2], 'p0', ARGV[2])
            return 1
            """;
        RedisKey[] keys = ["counters", "positions"];

        // The same batch (positions 0 -> 10) sent concurrently from many clients is applied exactly once.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => db.ScriptEvaluateAsync(Script, keys, [0, 10, 10])));

        Assert.Equal(1, attempts.Count(r => (int)r == 1));
        Assert.Equal(10, (long)await db.HashGetAsync("counters", "pleiades_total"));
    }

    [Fact]
    public async Task Keeps_its_data_across_a_restart()
    {
        var port = FreePort.Next();
        using (var server = GarnetServerFactory.Create(port, _dataDirectory))
        {
            server.Start();
            await using var redis = await ConnectAsync(port);
            var db = redis.GetDatabase();
            await db.HashIncrementAsync("pleiades:counters:all", "pleiades_total", 42);
            await db.SortedSetAddAsync("pleiades:days", "20695", 20695);
        }

        using (var server = GarnetServerFactory.Create(port, _dataDirectory))
        {
            server.Start();
            await using var redis = await ConnectAsync(port);
            var db = redis.GetDatabase();
            Assert.Equal(42, (long)await db.HashGetAsync("pleiades:counters:all", "pleiades_total"));
            Assert.Equal(1, await db.SortedSetLengthAsync("pleiades:days"));
        }
    }

    [Fact]
    public async Task Keeps_few_small_checkpoints_and_every_counter_across_several_starts()
    {
        const int Starts = 5;
        var port = FreePort.Next();
        for (var start = 0; start < Starts; start++)
        {
            using var server = GarnetServerFactory.Create(port, _dataDirectory);
            server.Start();
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},allowAdmin=true").WaitAsync(Timeout, TestContext.Current.CancellationToken);
            var db = redis.GetDatabase();
            await db.HashIncrementAsync("pleiades:counters:all", "pleiades_total", 10);
            await db.HashIncrementAsync($"pleiades:counters:{20695 + start}", "pleiades_total", start + 1);
            // What the AppHost's periodic checkpoint does, once per start.
            await db.ExecuteAsync("SAVE").WaitAsync(Timeout, TestContext.Current.CancellationToken);
        }

        // Garnet removes outdated checkpoints itself, in the background: the newest hybrid-log checkpoint stays with the
        // newest two index checkpoints, whatever the number of starts. Each index is the 1 MiB configured, not 128 MiB.
        await Eventually.WaitUntilAsync(
            () => CheckpointsIn("cpr-checkpoints") == 1 && CheckpointsIn("index-checkpoints") <= 2,
            Timeout, $"old checkpoints removed from {Listing()}");
        Assert.True(DataSize() < 8 << 20, Listing());

        using (var server = GarnetServerFactory.Create(port, _dataDirectory))
        {
            server.Start();
            await using var redis = await ConnectAsync(port);
            var db = redis.GetDatabase();
            Assert.Equal(10 * Starts, (long)await db.HashGetAsync("pleiades:counters:all", "pleiades_total"));
            for (var start = 0; start < Starts; start++)
            {
                Assert.Equal(start + 1, (long)await db.HashGetAsync($"pleiades:counters:{20695 + start}", "pleiades_total"));
            }
        }
    }

    private int CheckpointsIn(string kind) =>
        Directory.EnumerateDirectories(_dataDirectory, kind, SearchOption.AllDirectories).Sum(c => Directory.EnumerateDirectories(c).Count());

    private long DataSize() => new DirectoryInfo(_dataDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Exists ? f.Length : 0);

    private string Listing() => string.Join('\n', Directory.EnumerateFileSystemEntries(_dataDirectory, "*", SearchOption.AllDirectories));

    [Fact]
    public void Refuses_a_port_that_is_in_use()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        using var server = GarnetServerFactory.Create(((IPEndPoint)holder.LocalEndpoint).Port);

        Assert.ThrowsAny<Exception>(server.Start);
    }
}
