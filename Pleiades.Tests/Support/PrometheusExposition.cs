using System.Text.RegularExpressions;

namespace Pleiades.Tests.Support;

/// <summary>
/// The metric families of one Prometheus text exposition (what a service serves at /metrics): each family's name and
/// <c># TYPE</c>, and the label names of its samples.
/// </summary>
public sealed partial class PrometheusExposition
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<HashSet<string>>> _sampleLabels = new(StringComparer.Ordinal);

    private PrometheusExposition()
    {
    }

    /// <summary>Every family named by a <c># TYPE</c> line, with its type (counter, gauge, histogram, ...).</summary>
    public IReadOnlyDictionary<string, string> Types => _types;

    /// <summary>The names of every sample line (a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> each).</summary>
    public IEnumerable<string> SampleNames => _sampleLabels.Keys;

    public static PrometheusExposition Parse(string text)
    {
        var exposition = new PrometheusExposition();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                exposition._types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"Not a Prometheus sample line: {line}");
            }

            var labels = LabelName().Matches(match.Groups["labels"].Value).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
            if (!exposition._sampleLabels.TryGetValue(match.Groups["name"].Value, out var samples))
            {
                exposition._sampleLabels[match.Groups["name"].Value] = samples = [];
            }

            samples.Add(labels);
        }

        return exposition;
    }

    /// <summary>
    /// The label sets of the samples of family <paramref name="family"/> (for a histogram, of its <c>_bucket</c> lines
    /// without <c>le</c>), leaving out the exporter's <c>otel_scope_name</c>; empty when it has no samples.
    /// </summary>
    public IReadOnlyList<IReadOnlySet<string>> LabelSets(string family)
    {
        var histogram = _types.GetValueOrDefault(family) == "histogram";
        var samples = _sampleLabels.GetValueOrDefault(histogram ? family + "_bucket" : family) ?? [];
        return samples
            .Select(labels => (IReadOnlySet<string>)labels.Where(l => l != "otel_scope_name" && !(histogram && l == "le")).ToHashSet(StringComparer.Ordinal))
            .ToList();
    }

    // name{label="value",...} value [timestamp]; label values may hold any character, escaped quotes included.
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? \S+( \S+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?:[^""\\]|\\.)*""")]
    private static partial Regex LabelName();
}
