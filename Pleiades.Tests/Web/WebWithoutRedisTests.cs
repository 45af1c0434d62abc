using System.Net;
using Pleiades.Tests.Counting;

namespace Pleiades.Tests.Web;

/// <summary>The Web when Redis does not answer, and the API's rate limit.</summary>
public sealed class WebWithoutRedisTests
{
    [Fact]
    public async Task Without_Redis_the_API_says_503_and_the_dashboard_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{LoopbackPort.Unused()}");

        using var stats = await app.Client.GetAsync("api/stats/19567", ct);
        var page = await app.Client.GetStringAsync("", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stats.StatusCode);
        Assert.Equal("application/problem+json", stats.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"redis-down\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_is_rate_limited_per_client()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = new DebianRedisServer();
        await redis.InitializeAsync();
        await using var app = await WebAppHost.StartAsync(redis.Address, new Dictionary<string, string?>
        {
            ["Web:Api:RateLimitPermits"] = "3",
            ["Web:Api:RateLimitWindow"] = "00:10:00",
        });

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await app.Client.GetAsync("api/days", ct);
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429, (HttpStatusCode)429], codes);
    }
}
