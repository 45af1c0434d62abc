using System.Text;

namespace Pleiades.Tests.EndToEnd;

/// <summary>Counters per Unix day and all time, as the Web shows them or the oracle expects them.</summary>
public sealed record WebCounters(SortedDictionary<long, Dictionary<string, long>> Days, Dictionary<string, long> AllTime)
{
    /// <summary>
    /// Null when <paramref name="actual"/> holds exactly these counters (a counter at 0 and a missing one are the same),
    /// else what differs: days missing or extra, and per day the counters that differ.
    /// </summary>
    public string? Differences(WebCounters actual)
    {
        var text = new StringBuilder();
        foreach (var day in Days.Keys.Union(actual.Days.Keys).Order())
        {
            Describe(text, $"day {day}", Days.GetValueOrDefault(day) ?? [], actual.Days.GetValueOrDefault(day) ?? []);
        }

        Describe(text, "all time", AllTime, actual.AllTime);
        return text.Length == 0 ? null : text.ToString();
    }

    private static void Describe(StringBuilder text, string bucket, Dictionary<string, long> expected, Dictionary<string, long> actual)
    {
        var differing = expected.Keys.Union(actual.Keys)
            .Where(name => expected.GetValueOrDefault(name) != actual.GetValueOrDefault(name))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (differing.Count == 0)
        {
            return;
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"\n{bucket}: pleiades_total expected {expected.GetValueOrDefault("pleiades_total")}, shown {actual.GetValueOrDefault("pleiades_total")}; {differing.Count} counters differ:");
        foreach (var name in differing.Take(8))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $" {name} {expected.GetValueOrDefault(name)}/{actual.GetValueOrDefault(name)}");
        }
    }
}
