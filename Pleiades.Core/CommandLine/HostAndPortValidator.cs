using System.Globalization;

namespace Pleiades.CommandLine;

/// <summary>Checks <c>HOST:PORT</c> addresses as the original's flags took them (<c>:PORT</c> means every interface).</summary>
public static class HostAndPortValidator
{
    /// <summary>Returns an error message, or null when <paramref name="value"/> is one address (or a comma-separated list of them).</summary>
    public static string? Validate(string value, bool allowList = false)
    {
        var parts = allowList ? value.Split(',', StringSplitOptions.TrimEntries) : [value];
        foreach (var part in parts)
        {
            var colon = part.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return $"'{part}' is not an address of the form HOST:PORT";
            }
        }

        return null;
    }
}
