using System.Text.Json;
using Pleiades.Tests.Deploy;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Metrics;

/// <summary>
/// The Grafana dashboard (deploy/grafana/pleiades.json) and the alert rules (the PrometheusRule of deploy/) read only
/// series that the running services serve at /metrics, so none of their panels or alerts is silently empty.
/// </summary>
[Collection(RunningServicesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MonitoringSeriesTests(RunningServices services)
{
    /// <summary>The one series Prometheus makes itself for every target it scrapes (1 when the scrape succeeded).</summary>
    private const string PrometheusTargetHealth = "up";

    private IReadOnlySet<string> Exported =>
        services.Metrics.Values.SelectMany(text => PrometheusExposition.Parse(text).SampleNames).Append(PrometheusTargetHealth).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_dashboard_reads_only_series_the_services_export()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "deploy", "grafana", "pleiades.json")));
        var expressions = Expressions(dashboard.RootElement).ToList();
        Assert.True(expressions.Count >= 14, $"the dashboard has {expressions.Count} queries");
        AssertExported(expressions, "the dashboard");
    }

    [Fact]
    public async Task The_alert_rules_read_only_series_the_services_export()
    {
        var rules = (await DeployOverlay.RenderAsync("kind")).OfKind("PrometheusRule").ToList();
        Assert.NotEmpty(rules);
        var expressions = rules
            .SelectMany(rule => rule.Path("spec", "groups").Items())
            .SelectMany(group => group.Path("rules").Items())
            .Select(rule => rule.Path("expr").Text())
            .ToList();
        Assert.True(expressions.Count >= 5, $"the rules have {expressions.Count} alerts");
        AssertExported(expressions, "the alert rules");
    }

    [Fact]
    public void Series_names_are_read_out_of_promql()
    {
        Assert.Equal(
            ["pleiades_web_http_duration_seconds_bucket"],
            PromQl.SeriesNames("histogram_quantile(0.99, sum by (le, path) (rate(pleiades_web_http_duration_seconds_bucket{path=~\"/api.*\"}[$__rate_interval])))"));
        Assert.Equal(
            ["pleiades_kafka_publish_events_total", "pleiades_aggregator_event_count_total"],
            PromQl.SeriesNames("sum(rate(pleiades_kafka_publish_events_total[10m])) > 0 and sum(rate(pleiades_aggregator_event_count_total[10m])) == 0"));
        Assert.Equal(["up"], PromQl.SeriesNames("up{service=~\"ingest|web\"} == 0"));
    }

    private void AssertExported(IEnumerable<string> expressions, string what)
    {
        var exported = Exported;
        var missing = expressions
            .SelectMany(expression => PromQl.SeriesNames(expression).Where(name => !exported.Contains(name)).Select(name => $"{name} (in {expression})"))
            .ToList();
        Assert.True(missing.Count == 0, $"{what} read series no service exports:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    /// <summary>Every Prometheus query of a Grafana dashboard: the <c>expr</c> of each panel's targets, nested rows included.</summary>
    private static IEnumerable<string> Expressions(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var expression in Expressions(property.Value))
                        {
                            yield return expression;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var expression in Expressions(item))
                    {
                        yield return expression;
                    }
                }

                break;
        }
    }
}
