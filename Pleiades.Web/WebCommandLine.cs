using Pleiades.CommandLine;

namespace Pleiades.Web;

/// <summary>The Web's flags, as the original's frontend took them.</summary>
internal static class WebCommandLine
{
    /// <summary>Redis's address is the Aspire connection string, so the flag and <c>ConnectionStrings__redis</c> are one setting.</summary>
    public const string RedisAddressKey = "ConnectionStrings:redis";

    public static ServiceCommandLine Create() =>
        new("pleiades-web",
            "Serves the live dashboard and the REST API over the counters in Redis.",
            [
                Flag.HostAndPort("frontend-redis-addr", RedisAddressKey, "Redis where the counters come from", "localhost:6379", allowList: true),
                new Flag("frontend-redis-use-sentinel", WebOptions.Section + ":Redis:UseSentinel", "--frontend-redis-addr names Redis Sentinels", IsSwitch: true),
                new Flag("frontend-redis-password", WebOptions.Section + ":Redis:Password", "Redis password"),
                Flag.HostAndPort("listen-addr", WebOptions.Section + ":ListenAddress", "where the site listens (standalone)", WebOptions.DefaultListenAddress),
            ]);
}
