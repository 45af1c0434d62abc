using Pleiades.Aggregator.Counting;
using Pleiades.Counters;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary>The Aggregator's ways to Redis: <c>--redis-use-sentinel</c> and <c>--redis-password</c> reach the connection the counters are written through.</summary>
[Trait("Category", "Integration")]
public sealed class AggregatorRedisConnectionTests(DebianRedisServer master, PasswordDebianRedisServer secured)
    : IClassFixture<DebianRedisServer>, IClassFixture<PasswordDebianRedisServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Counters_reach_the_master_the_sentinel_names()
    {
        await master.FlushAsync();
        await using var sentinel = await RedisSentinel.StartAsync(master.Port);

        await WriteOneBatchAsync(sentinel.Address, new RedisClientOptions { UseSentinel = true });

        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(master.Connection))["pleiades_total"]);
    }

    [Fact]
    public async Task Counters_are_written_with_the_password_and_refused_without_it()
    {
        await secured.FlushAsync();

        await WriteOneBatchAsync(secured.Address, new RedisClientOptions { Password = secured.Password });

        var withoutPassword = Configure(secured.Address, new RedisClientOptions());
        withoutPassword.AbortOnConnectFail = true;
        withoutPassword.ConnectTimeout = 1000;
        withoutPassword.ConnectRetry = 1;
        await Assert.ThrowsAnyAsync<RedisException>(() => ConnectionMultiplexer.ConnectAsync(withoutPassword).WaitAsync(Timeout, Ct));
        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(secured.Connection))["pleiades_total"]);
    }

    /// <summary>The client options the Aggregator builds for <paramref name="address"/> and <paramref name="redis"/>.</summary>
    private static ConfigurationOptions Configure(string address, RedisClientOptions redis)
    {
        var options = ConfigurationOptions.Parse(address);
        CounterRedisClient.Configure(options, redis);
        return options;
    }

    /// <summary>Connects as the Aggregator would and applies the 100 events of a real capture as one batch.</summary>
    private static async Task WriteOneBatchAsync(string address, RedisClientOptions redis)
    {
        var options = Configure(address, redis);
        options.ConnectTimeout = 5000;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(Timeout, Ct);
        var batch = CounterBatchTests.Count(RealSamples.Lines(RealSamples.Enwiki2023));

        var result = await new RedisCounterStore(connection).ApplyAsync("kafka:connection-test:events", batch, [new("0", BatchPosition.None, 100)], 1).WaitAsync(Timeout, Ct);

        Assert.Equal(BatchApplyResult.Applied, result);
    }
}
