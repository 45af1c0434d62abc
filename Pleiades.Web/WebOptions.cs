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
}
