using System.Globalization;

namespace Pleiades.Tests.Ingest;

/// <summary>Reads values from the Prometheus text a service serves at /metrics.</summary>
public static class MetricsText
{
    public static async Task<string> ScrapeAsync(Uri baseAddress)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(baseAddress, "metrics"), TestContext.Current.CancellationToken);
    }

    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain <paramref name="label"/> (e.g. <c>type="http_5xx"</c>); 0 when absent.</summary>
    public static double Value(string text, string name, string? label = null)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal)
                && (line.Length > name.Length && line[name.Length] is '{' or ' ')
                && (label is null || line.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
