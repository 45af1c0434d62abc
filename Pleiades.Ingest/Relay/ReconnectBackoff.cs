namespace Pleiades.Ingest.Relay;

/// <summary>
/// Delays between reconnects: exponential from the base (the server's <c>retry:</c> when it sent one, else
/// <see cref="IngestOptions.MinBackoff"/>), capped, with "equal jitter" (half fixed, half random) so that many
/// clients never hammer a recovering server in step; never shorter than a <c>Retry-After</c> the server asked for.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan minimum, TimeSpan maximum, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The delay before attempt <paramref name="failedAttempts"/> + 1.</summary>
    public TimeSpan Next(int failedAttempts, TimeSpan? serverRetry = null, TimeSpan? retryAfter = null)
    {
        var baseDelay = serverRetry ?? minimum;
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failedAttempts, 30));
        var capped = Math.Min(exponential, Math.Max(maximum.TotalMilliseconds, baseDelay.TotalMilliseconds));
        var delay = TimeSpan.FromMilliseconds((capped / 2) + (_random.NextDouble() * capped / 2));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }
}
