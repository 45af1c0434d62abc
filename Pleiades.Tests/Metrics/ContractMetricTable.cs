using System.Text.RegularExpressions;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Metrics;

/// <summary>One series of docs/contract.md section 4: its name, type, label names and the services that export it.</summary>
public sealed record ContractSeries(string Name, string Type, IReadOnlySet<string> Labels, IReadOnlyList<ContractSource> Sources);

/// <summary>A service that exports a series, in every mode (<see cref="Mode"/> null) or with one event log ("Kafka", "file log").</summary>
public sealed record ContractSource(string Service, string? Mode);

/// <summary>Reads the table of docs/contract.md section 4, so the tests check what the contract says, not a copy of it.</summary>
public static partial class ContractMetricTable
{
    public static IReadOnlyList<ContractSeries> Read()
    {
        var contract = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "contract.md"));
        var section = contract[contract.IndexOf("## 4. Metrics", StringComparison.Ordinal)..];
        var series = new List<ContractSeries>();
        foreach (var row in section.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            // The service cell: "Ingest", "Ingest (Kafka)", "Ingest, Aggregator: what it counts".
            var services = cells[3].Split(':')[0];
            var sources = services.Split(',', StringSplitOptions.TrimEntries)
                .Select(s => ServiceCell().Match(s))
                .Select(m => new ContractSource(m.Groups["service"].Value, m.Groups["mode"].Success ? m.Groups["mode"].Value : null))
                .ToList();
            var labels = Quoted().Matches(cells[2]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            series.AddRange(Quoted().Matches(cells[0]).Select(m => new ContractSeries(m.Groups[1].Value, cells[1], labels, sources)));
        }

        return series;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^(?<service>\w+)( \((?<mode>[^)]+)\))?$")]
    private static partial Regex ServiceCell();
}
