using Pleiades.CommandLine;
using Pleiades.EventLog;

namespace Pleiades.Aggregator;

/// <summary>The Aggregator's flags: the original's plus the consumer group and the Redis password.</summary>
internal static class AggregatorCommandLine
{
    /// <summary>Redis's address is the Aspire connection string, so the flag and <c>ConnectionStrings__redis</c> are one setting.</summary>
    public const string RedisAddressKey = "ConnectionStrings:redis";

    public static ServiceCommandLine Create() =>
        new ServiceCommandLine(
                "pleiades-aggregator",
                "Turns the event log into per-day and all-time counters in Redis, each event counted exactly once.",
                [
                    .. EventLogFlags.All,
                    new Flag("kafka.group", AggregatorOptions.Section + ":Group", "Kafka consumer group", Default: EventLogNames.ConsumerGroup),
                    Flag.HostAndPort("redis-addr", RedisAddressKey, "Redis where the counters go", "localhost:6379", allowList: true),
                    new Flag("redis-use-sentinel", AggregatorOptions.Section + ":Redis:UseSentinel", "--redis-addr names Redis Sentinels", IsSwitch: true),
                    new Flag("redis-password", AggregatorOptions.Section + ":Redis:Password", "Redis password"),
                ])
            .WithCheck(EventLogFlags.CheckOneLog);
}
