namespace Pleiades.Counters;

/// <summary>How a service reaches the counters' Redis beyond its address (<c>ConnectionStrings:redis</c>): the original's Sentinel and password flags.</summary>
public sealed class RedisClientOptions
{
    /// <summary>The original's master name.</summary>
    public const string DefaultSentinelServiceName = "mymaster";

    /// <summary>The address names Redis Sentinels; the master is the one they name <see cref="SentinelServiceName"/>.</summary>
    public bool UseSentinel { get; set; }

    public string SentinelServiceName { get; set; } = DefaultSentinelServiceName;

    public string? Password { get; set; }
}
