namespace Pleiades.Replay;

/// <summary>
/// WMF's User-Agent policy as EventStreams enforces it: a client must identify itself with contact details
/// (a URL or an e-mail address); missing and library-default agents get 403.
/// </summary>
public static class ReplayUserAgentPolicy
{
    private static readonly string[] GenericPrefixes =
        ["python-requests", "python-urllib", "curl/", "wget/", "go-http-client", "java/", "okhttp", "axios", "node-fetch"];

    /// <summary>Why <paramref name="userAgent"/> is refused, or null when it is acceptable.</summary>
    public static string? Check(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "a User-Agent is required (https://meta.wikimedia.org/wiki/User-Agent_policy)";
        }

        if (Array.Exists(GenericPrefixes, p => userAgent.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return $"generic User-Agent '{userAgent}' refused: identify your tool and give contact details (https://meta.wikimedia.org/wiki/User-Agent_policy)";
        }

        return userAgent.Contains('@', StringComparison.Ordinal) || userAgent.Contains("http", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"User-Agent '{userAgent}' has no contact details (a URL or an e-mail address) (https://meta.wikimedia.org/wiki/User-Agent_policy)";
    }
}
