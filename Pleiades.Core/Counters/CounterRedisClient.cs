using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Pleiades.Counters;

/// <summary>The Redis client of the counters (Aspire's integration), as the Aggregator and the Web register it.</summary>
public static class CounterRedisClient
{
    /// <summary>The Aspire connection name (<c>ConnectionStrings:redis</c>, which <c>--redis-addr</c> sets).</summary>
    public const string ConnectionName = "redis";

    /// <summary>
    /// Registers <c>IConnectionMultiplexer</c> for <see cref="ConnectionName"/>, defaulted and checked at start
    /// (<see cref="RedisConnectionString"/>), with the Sentinel and password settings of <paramref name="optionsSection"/>
    /// and the service's own tuning, <paramref name="configure"/>.
    /// </summary>
    public static void AddCounterRedisClient(this IHostApplicationBuilder builder, string optionsSection, Action<ConfigurationOptions>? configure = null)
    {
        RedisConnectionString.Use(builder, ConnectionName);
        // Read here, not through IOptions: the client's options are built before the service provider exists.
        var redis = builder.Configuration.GetSection(optionsSection).Get<RedisClientOptions>() ?? new();
        builder.AddRedisClient(ConnectionName, configureOptions: options =>
        {
            Configure(options, redis);
            configure?.Invoke(options);
        });
    }

    /// <summary>The settings both services share: Sentinel, password, and a connection that never gives up for good.</summary>
    public static void Configure(ConfigurationOptions options, RedisClientOptions redis)
    {
        if (redis.UseSentinel)
        {
            options.ServiceName = redis.SentinelServiceName;
        }

        if (!string.IsNullOrEmpty(redis.Password))
        {
            options.Password = redis.Password;
        }

        // Outages are waited out by the services themselves (the Aggregator retries its batch, the Web says Redis is away).
        options.AbortOnConnectFail = false;
    }
}
