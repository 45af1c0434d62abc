namespace Pleiades.Tests.Deploy;

/// <summary>Every alert of deploy/ tells the operator where its runbook is, and that runbook exists in deploy/README.md.</summary>
[Trait("Category", "Integration")]
public sealed class AlertRunbookTests
{
    [Fact]
    public async Task Every_alert_has_a_runbook_entry()
    {
        var readme = File.ReadAllText(Path.Combine(DeployOverlay.Directory, "README.md"));
        var rules = (await DeployOverlay.RenderAsync("production")).OfKind("PrometheusRule")
            .SelectMany(rule => rule.Path("spec", "groups").Items())
            .SelectMany(group => group.Path("rules").Items())
            .ToList();
        Assert.True(rules.Count >= 5, $"{rules.Count} alerts");
        foreach (var rule in rules)
        {
            var alert = rule.Path("alert").Text();
            Assert.Equal($"deploy/README.md#{alert.ToLowerInvariant()}", rule.Path("annotations", "runbook").Text());
            Assert.Contains($"\n#### {alert}\n", readme, StringComparison.Ordinal);
            Assert.NotEmpty(rule.Path("annotations", "summary").Text());
        }
    }
}
