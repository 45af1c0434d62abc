using System.Globalization;

namespace Pleiades.Tests.Support;

/// <summary>Reads values from the Prometheus text a service serves at /metrics.</summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public static class MetricsText
{
    /// <summary>
    /// The sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/> (e.g.
    /// <c>type="http_5xx"</c>), or of all its samples when no label is given. Throws when there is no such sample:
    /// a misspelt name or label must fail a test, not read as 0.
    /// </summary>
    public static double Value(string text, string name, string? label = null) =>
        OptionalValue(text, name, label)
            ?? throw new KeyNotFoundException($"/metrics has no sample of {name}{(label is null ? "" : $" with {label}")}");

    /// <summary>
    /// As <see cref="Value"/>, but null when there is no such sample: for a series that may not exist yet (a counter
    /// the service has not incremented is not exported).
    /// </summary>
    public static double? OptionalValue(string text, string name, string? label = null)
    {
        double? sum = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(name, StringComparison.Ordinal)
                && line.Length > name.Length && line[name.Length] is '{' or ' '
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            {
                sum = (sum ?? 0) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
