using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.Hosting.Infrastructure;

namespace Pleiades.Tests.Web;

/// <summary>The Web run from its build output outside Development, as the benchmarks and standalone users run it.</summary>
[Trait("Category", "Integration")]
public class WebProductionTests
{
    [Fact]
    public async Task Outside_development_static_assets_are_served_without_a_per_request_file_lookup()
    {
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{FreePort.Next()}", environment: "Production");

        // Development's runtime reloading maps a fallback route whose constraint asks the file system on every request.
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText);
        Assert.DoesNotContain(routes, pattern => pattern is not null && pattern.Contains(":file}", StringComparison.Ordinal));

        using var script = await app.Client.GetAsync(new Uri("_framework/blazor.web.js", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.True(script.IsSuccessStatusCode, $"blazor.web.js: {(int)script.StatusCode}");
        using var styles = await app.Client.GetAsync(new Uri("app.css", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.True(styles.IsSuccessStatusCode, $"app.css: {(int)styles.StatusCode}");
    }
}
