namespace Pleiades.Aggregator;

/// <summary>How the Aggregator reaches Redis beyond its address (<c>ConnectionStrings:redis</c>).</summary>
public sealed class AggregatorRedisOptions
{
    public const string DefaultSentinelServiceName = "mymaster";

    /// <summary>The address names Redis Sentinels; the master is the one they name <see cref="SentinelServiceName"/>.</summary>
    public bool UseSentinel { get; set; }

    public string SentinelServiceName { get; set; } = DefaultSentinelServiceName;

    public string? Password { get; set; }
}
