using System.Globalization;

namespace Pleiades.Tests.Support;

/// <summary>Reads values from the Prometheus text a service serves at /metrics.</summary>
/// <remarks>Free of xunit: the benchmarks compile this file too.</remarks>
public static class MetricsText
{
    /// <summary>
    /// The sum of the samples of <paramref name="name"/> whose labels contain <paramref name="label"/> (e.g.
    /// <c>type="http_5xx"</c>), or of all its samples when no label is given; 0 when there are none.
    /// </summary>
    public static double Value(string text, string name, string? label = null)
    {
        double sum = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(name, StringComparison.Ordinal)
                && line.Length > name.Length && line[name.Length] is '{' or ' '
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            {
                sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
