using Pleiades.Tests.Support;

namespace Pleiades.Tests.Metrics;

/// <summary>
/// Every series of docs/contract.md section 4, as the running services serve it: the name, the <c># TYPE</c> line and
/// the label names of every sample, so the original's dashboards and alert rules keep working.
/// </summary>
[Collection(RunningServicesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ContractMetricsTests(RunningServices services)
{
    [Fact]
    public void Every_series_of_the_contract_is_served_with_its_type_and_label_names()
    {
        var table = ContractMetricTable.Read();
        Assert.True(table.Count >= 19, $"the contract's table was read ({table.Count} series)");
        var problems = new List<string>();
        foreach (var series in table)
        {
            var sources = services.Metrics.Keys
                .Where(running => series.Sources.Any(s => s.Service == running.Service && (s.Mode is null || s.Mode == running.Mode)))
                .ToList();
            if (sources.Count == 0)
            {
                problems.Add($"{series.Name}: no running service is {string.Join(", ", series.Sources)}");
            }

            foreach (var source in sources)
            {
                var exposition = PrometheusExposition.Parse(services.Metrics[source]);
                var where = $"{series.Name} from the {source.Service}{(source.Mode is null ? "" : $" ({source.Mode})")}";
                if (!exposition.Types.TryGetValue(series.Name, out var type))
                {
                    problems.Add($"{where}: no # TYPE line");
                    continue;
                }

                if (type != series.Type)
                {
                    problems.Add($"{where}: # TYPE {type}, the contract says {series.Type}");
                }

                var labelSets = exposition.LabelSets(series.Name);
                if (labelSets.Count == 0)
                {
                    problems.Add($"{where}: no sample");
                }

                foreach (var labels in labelSets.Where(labels => !labels.SetEquals(series.Labels)))
                {
                    problems.Add($"{where}: labels {{{string.Join(",", labels.Order())}}}, the contract says {{{string.Join(",", series.Labels.Order())}}}");
                }
            }

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{series.Name} {series.Type} {{{string.Join(",", series.Labels)}}} from {string.Join(", ", sources.Select(s => s.Mode is null ? s.Service : $"{s.Service} ({s.Mode})"))}");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
