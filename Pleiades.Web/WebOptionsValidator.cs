using Microsoft.Extensions.Options;

namespace Pleiades.Web;

/// <summary>Checks the Web's settings at start and reports every problem at once.</summary>
internal sealed class WebOptionsValidator : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var errors = new List<string>();
        if (options.SnapshotLifetime < TimeSpan.Zero || options.SnapshotLifetime > TimeSpan.FromMinutes(1))
        {
            errors.Add("Web:SnapshotLifetime must be between 0 and 1 minute");
        }

        if (options.LiveRefreshInterval < TimeSpan.FromMilliseconds(200))
        {
            errors.Add("Web:LiveRefreshInterval must be at least 200 ms (a few redraws a second at most)");
        }

        if (options.StaleAfter <= TimeSpan.Zero)
        {
            errors.Add("Web:StaleAfter must be positive");
        }

        if (options.Api.RateLimitPermits < 1 || options.Api.RateLimitWindow <= TimeSpan.Zero)
        {
            errors.Add("Web:Api:RateLimitPermits and Web:Api:RateLimitWindow must be positive");
        }

        foreach (var origin in options.Api.CorsOrigins)
        {
            if (origin.Contains('*', StringComparison.Ordinal) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"Web:Api:CorsOrigins: '{origin}' is not an http(s) origin (wildcards are not allowed)");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
