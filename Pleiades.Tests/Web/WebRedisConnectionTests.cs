using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Web;

/// <summary>The Web's ways to Redis (down, through Sentinel, with a password) and the API's rate limit.</summary>
[Trait("Category", "Integration")]
public sealed class WebRedisConnectionTests
{
    [Fact]
    public async Task Without_Redis_the_API_says_503_and_the_dashboard_says_so()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{FreePort.Next()}");

        using var stats = await app.Client.GetAsync("api/stats/19567", ct);
        var page = await app.Client.GetStringAsync("", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, stats.StatusCode);
        Assert.Equal("application/problem+json", stats.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"redis-down\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_Redis_is_down_the_API_says_503_and_once_it_is_back_the_counters_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = new DurableDebianRedisServer();
        await redis.InitializeAsync();
        var enwiki = AggregatedCounters.Sample(RealSamples.Enwiki2023);
        await AggregatedCounters.WriteAsync(redis.Connection, enwiki);
        await using var app = await WebAppHost.StartAsync(redis.Address);
        var expected = CounterOracle.Count(enwiki).AllTime;
        async Task<HttpStatusCode> StatusAsync()
        {
            using var response = await app.Client.GetAsync($"api/stats/{WebApiFixture.EnwikiDay}", ct);
            return response.StatusCode;
        }

        Assert.Equal(expected, StatsDocuments.Values(await app.Client.GetFromJsonAsync<JsonElement>($"api/stats/{WebApiFixture.EnwikiDay}", ct)));

        await redis.CrashAsync();
        await Eventually.WaitUntilAsync(async () => await StatusAsync() == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "a 503 while Redis is down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync());

        await redis.RestartAsync();
        await Eventually.WaitUntilAsync(async () => await StatusAsync() == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "a 200 once Redis is back");
        Assert.Equal(expected, StatsDocuments.Values(await app.Client.GetFromJsonAsync<JsonElement>($"api/stats/{WebApiFixture.EnwikiDay}", ct)));
    }

    [Fact]
    public async Task Through_a_Sentinel_the_counters_are_read_from_its_master()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var master = new DebianRedisServer();
        await master.InitializeAsync();
        await AggregatedCounters.WriteAsync(master.Connection, AggregatedCounters.Sample(RealSamples.Enwiki2023));
        await using var sentinel = await RedisSentinel.StartAsync(master.Port);
        await using var app = await WebAppHost.StartAsync(sentinel.Address, new Dictionary<string, string?>
        {
            ["Web:Redis:UseSentinel"] = "true",
        });

        var stats = await app.Client.GetFromJsonAsync<JsonElement>("api/stats/19567", ct);

        Assert.Equal(100, stats.GetProperty("Counters").EnumerateArray().Single(c => c.GetProperty("Name").GetString() == "pleiades_total").GetProperty("Value").GetInt64());
        var options = ConfigurationOptions.Parse(app.Services.GetRequiredService<IConnectionMultiplexer>().Configuration);
        Assert.Equal("mymaster", options.ServiceName);
    }

    [Fact]
    public async Task A_password_reaches_the_Redis_client()
    {
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{FreePort.Next()}", new Dictionary<string, string?>
        {
            ["Web:Redis:Password"] = "s3cret",
        });

        var options = ConfigurationOptions.Parse(app.Services.GetRequiredService<IConnectionMultiplexer>().Configuration);

        Assert.Equal("s3cret", options.Password);
        Assert.False(options.AbortOnConnectFail);
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
