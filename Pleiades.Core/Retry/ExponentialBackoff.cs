namespace Pleiades.Retry;

/// <summary>
/// Delays between attempts at something that failed (a reconnect, a Redis write, a position read): exponential
/// from a base, capped, with "equal jitter" (half fixed, half random) so that many clients never hammer a recovering
/// server in step; never shorter than a delay the server asked for (<c>Retry-After</c>). The one backoff of every service.
/// </summary>
public sealed class ExponentialBackoff(TimeSpan minimum, TimeSpan maximum, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The delay before attempt <paramref name="failedAttempts"/> + 1, from <paramref name="baseDelay"/> (the server's own hint, e.g. SSE's <c>retry:</c>) or the minimum.</summary>
    public TimeSpan Next(int failedAttempts, TimeSpan? baseDelay = null, TimeSpan? retryAfter = null)
    {
        var start = baseDelay ?? minimum;
        var exponential = start.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts, 30));
        var capped = Math.Min(exponential, Math.Max(maximum.TotalMilliseconds, start.TotalMilliseconds));
        var delay = TimeSpan.FromMilliseconds((capped / 2) + (_random.NextDouble() * capped / 2));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }
}
