using System.Text.RegularExpressions;

namespace Pleiades.Tests.Metrics;

/// <summary>The series a PromQL expression reads (enough of PromQL for Pleiades' dashboard and alert rules).</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "inf", "nan"];

    /// <summary>The metric names <paramref name="expression"/> selects (functions, keywords, labels and numbers left out).</summary>
    public static IReadOnlySet<string> SeriesNames(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = Braces().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Variables().Replace(text, " ");
        return Identifiers().Matches(text)
            .Where(m => !Keywords.Contains(m.Value.ToLowerInvariant()))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    // by (a, b), without (...), on (...), ignoring (...), group_left (...), group_right (...)
    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // Grafana's variables: $__rate_interval, ${job}, $service.
    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    // A name not followed by "(" (a function call) and not part of a number (1e3, 0.99).
    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()(?![\w])")]
    private static partial Regex Identifiers();
}
