using Pleiades.Aggregator;
using Pleiades.Counting;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary><c>--redis-password</c> reaches the connection the counters are written through.</summary>
public sealed class RedisPasswordTests(PasswordDebianRedisServer server) : IClassFixture<PasswordDebianRedisServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Counters_are_written_with_the_password_and_refused_without_it()
    {
        await server.FlushAsync();
        var batch = CounterBatchTests.Count(SharedSamples.Lines(SharedSamples.Enwiki2023));

        var withPassword = ConfigurationOptions.Parse(server.Address);
        Extensions.ConfigureRedis(withPassword, new AggregatorRedisOptions { Password = server.Password });
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(withPassword).WaitAsync(Timeout, TestContext.Current.CancellationToken))
        {
            var result = await new RedisCounterStore(redis).ApplyAsync("kafka:password:events", batch, [new("0", BatchPosition.None, 100)], 1)
                .WaitAsync(Timeout, TestContext.Current.CancellationToken);
            Assert.Equal(BatchApplyResult.Applied, result);
        }

        var withoutPassword = ConfigurationOptions.Parse(server.Address);
        Extensions.ConfigureRedis(withoutPassword, new AggregatorRedisOptions());
        withoutPassword.AbortOnConnectFail = true;
        withoutPassword.ConnectTimeout = 1000;
        withoutPassword.ConnectRetry = 1;
        await Assert.ThrowsAnyAsync<RedisException>(() => ConnectionMultiplexer.ConnectAsync(withoutPassword).WaitAsync(Timeout, TestContext.Current.CancellationToken));

        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection))["pleiades_total"]);
    }
}
