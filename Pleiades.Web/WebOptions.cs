using Pleiades.Counters;

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

    public RedisClientOptions Redis { get; set; } = new();

    public ApiSettings Api { get; set; } = new();

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    public TransportSettings Transport { get; set; } = new();

    /// <summary>Protection of the REST API.</summary>
    public sealed class ApiSettings
    {
        /// <summary>Origins allowed to call the API from a browser; none by default, never a wildcard.</summary>
        public string[] CorsOrigins { get; set; } = [];

        /// <summary>Requests one client may make per <see cref="RateLimitWindow"/>.</summary>
        public int RateLimitPermits { get; set; } = 600;

        public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// How many leading bits of an IPv6 address name one client of the rate limit (1 to 128): a /64 by default, the
        /// least a network gives one subscriber, so that a client cannot rotate through its own addresses past the limit.
        /// </summary>
        public int RateLimitIPv6PrefixLength { get; set; } = 64;
    }

    /// <summary>
    /// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the Web believes, so that the API's
    /// rate limit counts each real client. None by default: a client cannot choose its address by sending the header.
    /// </summary>
    public sealed class ForwardedHeadersSettings
    {
        /// <summary>Addresses of trusted proxies (<c>10.0.0.5</c>, <c>fd00::5</c>).</summary>
        public string[] KnownProxies { get; set; } = [];

        /// <summary>Networks of trusted proxies in CIDR notation (<c>10.244.0.0/16</c>).</summary>
        public string[] KnownNetworks { get; set; } = [];

        /// <summary>How many proxy hops to unwind from the right of <c>X-Forwarded-For</c>: the proxies in front of the Web.</summary>
        public int ForwardLimit { get; set; } = 1;

        /// <summary>Whether any proxy is trusted by these settings (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> aside).</summary>
        public bool TrustsAnyProxy => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
    }

    /// <summary>How Kestrel's socket transport runs the Web's connections (docs/web.md).</summary>
    public sealed class TransportSettings
    {
        /// <summary>ASP.NET Core's 4 KiB blocks, kept when <see cref="MemoryBlockSize"/> is this.</summary>
        public const int AspNetCoreBlocks = 0;

        /// <summary>The 86 KB day document of 1,000 wikis and its headers fit one block.</summary>
        public const int DefaultMemoryBlockSize = 128 * 1024;

        /// <summary>
        /// Kestrel's <c>UnsafePreferInlineScheduling</c>: a request is handled, and its response sent, on the thread that
        /// received it instead of being handed to the thread pool and back (socket completions themselves stay on the
        /// thread pool). Safe here because no request path of the Web blocks a thread (docs/web.md, "Transport").
        /// </summary>
        public bool InlineScheduling { get; set; } = true;

        /// <summary>Bytes per block of Kestrel's connection buffers (4 KiB to 1 MiB), or 0 for ASP.NET Core's own 4 KiB pool.</summary>
        public int MemoryBlockSize { get; set; } = DefaultMemoryBlockSize;
    }
}
