namespace Pleiades.Web;

/// <summary>Settings of the Web, bound from the <c>Web</c> configuration section.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>The site's documented public port, also under the AppHost.</summary>
    public const int PublicPort = 8080;

    public const string DefaultListenAddress = ":8080";

    /// <summary>Where the site listens when run on its own, as <c>HOST:PORT</c> (<c>:PORT</c> for every interface).</summary>
    public string ListenAddress { get; set; } = DefaultListenAddress;

    /// <summary>How long one read of Redis is shared between all users before the next one.</summary>
    public TimeSpan SnapshotLifetime { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a live view (today) redraws; a few times a second at most.</summary>
    public TimeSpan LiveRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After this long without a new batch, the dashboard says that data stopped arriving.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);

    public RedisSettings Redis { get; set; } = new();

    public ApiSettings Api { get; set; } = new();

    /// <summary>How the Web reaches Redis beyond its address (<c>ConnectionStrings:redis</c>).</summary>
    public sealed class RedisSettings
    {
        /// <summary>The address names Redis Sentinels; the master is found by <see cref="SentinelServiceName"/>.</summary>
        public bool UseSentinel { get; set; }

        /// <summary>The original's master name.</summary>
        public string SentinelServiceName { get; set; } = "mymaster";

        public string? Password { get; set; }
    }

    /// <summary>Protection of the REST API.</summary>
    public sealed class ApiSettings
    {
        /// <summary>Origins allowed to call the API from a browser; none by default, never a wildcard.</summary>
        public string[] CorsOrigins { get; set; } = [];

        /// <summary>Requests one client address may make per <see cref="RateLimitWindow"/>.</summary>
        public int RateLimitPermits { get; set; } = 600;

        public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);
    }
}
