using Pleiades.Aggregator;
using Pleiades.Counting;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary><c>--redis-use-sentinel</c>: the address names a Sentinel, which names the master the counters go to.</summary>
public sealed class RedisSentinelTests(DebianRedisServer master) : IClassFixture<DebianRedisServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Counters_reach_the_master_the_sentinel_names()
    {
        await master.FlushAsync();
        await using var sentinel = await RedisSentinel.StartAsync(master.Port);
        var options = ConfigurationOptions.Parse(sentinel.Address);
        Extensions.ConfigureRedis(options, new AggregatorRedisOptions { UseSentinel = true });
        options.ConnectTimeout = 5000;

        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var result = await new RedisCounterStore(redis).ApplyAsync("kafka:sentinel:events", CounterBatchTests.Count(SharedSamples.Lines(SharedSamples.Enwiki2023)), [new("0", BatchPosition.None, 100)], 1)
            .WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(BatchApplyResult.Applied, result);
        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(master.Connection))["pleiades_total"]);
    }
}
