using System.Diagnostics;
using System.Globalization;
using Pleiades.Aggregator;
using Pleiades.Counting;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary><c>--redis-use-sentinel</c>: the address names a Sentinel, which names the master the counters go to.</summary>
public sealed class RedisSentinelTests(DebianRedisServer master) : IClassFixture<DebianRedisServer>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pleiades-sentinel-").FullName;
    private readonly int _sentinelPort = FreePort.Next();
    private Process? _sentinel;

    public async ValueTask InitializeAsync()
    {
        var config = Path.Combine(_directory, "sentinel.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            port {_sentinelPort}
            bind 127.0.0.1
            dir {_directory}
            sentinel monitor {AggregatorRedisOptions.DefaultSentinelServiceName} 127.0.0.1 {master.Port} 1

            """));
        _sentinel = Process.Start(new ProcessStartInfo(DebianRedisServer.Executable, [config, "--sentinel"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server --sentinel did not start");
        _sentinel.OutputDataReceived += (_, _) => { };
        _sentinel.ErrorDataReceived += (_, _) => { };
        _sentinel.BeginOutputReadLine();
        _sentinel.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (_sentinel is { HasExited: false })
        {
            _sentinel.Kill();
            await _sentinel.WaitForExitAsync().WaitAsync(Timeout);
        }

        _sentinel?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Counters_reach_the_master_the_sentinel_names()
    {
        await master.FlushAsync();
        var options = ConfigurationOptions.Parse($"127.0.0.1:{_sentinelPort}");
        Extensions.ConfigureRedis(options, new AggregatorRedisOptions { UseSentinel = true });
        options.ConnectTimeout = 5000;

        await using var redis = await ConnectWhenSentinelAnswersAsync(options);
        var result = await new RedisCounterStore(redis).ApplyAsync("kafka:sentinel:events", CounterBatchTests.Count(SharedSamples.Lines(SharedSamples.Enwiki2023)), [new("0", BatchPosition.None, 100)], 1)
            .WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(BatchApplyResult.Applied, result);
        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(master.Connection))["pleiades_total"]);
    }

    private static async Task<ConnectionMultiplexer> ConnectWhenSentinelAnswersAsync(ConfigurationOptions options)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        while (true)
        {
            try
            {
                return await ConnectionMultiplexer.ConnectAsync(options);
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }
}
