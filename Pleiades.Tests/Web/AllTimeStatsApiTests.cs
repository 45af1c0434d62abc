using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Web;

/// <summary><c>/api/stats/all</c> over real HTTP, against Garnet holding what the Aggregator's counting wrote.</summary>
[Trait("Category", "Integration")]
public sealed class AllTimeStatsApiTests(AllTimeApiFixture fixture) : IClassFixture<AllTimeApiFixture>
{
    private HttpClient Client => fixture.App.Client;

    [Fact]
    public async Task All_time_is_the_sum_of_every_days_counters_in_the_days_shape()
    {
        var ct = TestContext.Current.CancellationToken;
        var days = (await Client.GetFromJsonAsync<string[]>("api/days", ct))!;
        var sumOfDays = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var day in days)
        {
            foreach (var (name, value) in StatsDocuments.Values(await Client.GetFromJsonAsync<JsonElement>($"api/stats/{day}", ct)))
            {
                sumOfDays[name] = sumOfDays.GetValueOrDefault(name) + value;
            }
        }

        using var response = await Client.GetAsync("api/stats/all", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var root = json.RootElement;
        Assert.Equal(["Since", "Counters"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(AllTimeApiFixture.FirstDay * 86400, root.GetProperty("Since").GetInt64());
        var counters = root.GetProperty("Counters").EnumerateArray().ToList();
        Assert.All(counters, c => Assert.Equal(["Name", "Description", "Value"], c.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(counters.Select(c => c.GetProperty("Name").GetString()).Order(StringComparer.Ordinal), counters.Select(c => c.GetProperty("Name").GetString()));
        Assert.Contains(counters, c => c.GetProperty("Name").GetString() == "pleiades_total" && c.GetProperty("Description").GetString()!.Length > 0);

        Assert.Equal(3, days.Length);
        Assert.Equal(sumOfDays.OrderBy(c => c.Key, StringComparer.Ordinal), StatsDocuments.Values(root).OrderBy(c => c.Key, StringComparer.Ordinal));
        var expected = CounterOracle.Count(AllTimeApiFixture.Captures.SelectMany(AggregatedCounters.Sample));
        Assert.Equal(expected.AllTime, StatsDocuments.Values(root));
        Assert.Equal(AllTimeApiFixture.Captures.Sum(capture => AggregatedCounters.Sample(capture).Count), sumOfDays["pleiades_total"]);
    }

    [Fact]
    public async Task The_overview_is_the_all_time_counters_headline()
    {
        var ct = TestContext.Current.CancellationToken;
        var all = StatsDocuments.Values(await Client.GetFromJsonAsync<JsonElement>("api/stats/all", ct));
        var overview = await Client.GetFromJsonAsync<JsonElement>("api/stats/all/overview", ct);

        Assert.Equal(AllTimeApiFixture.FirstDay, overview.GetProperty("FirstDay").GetInt64());
        Assert.Equal(3, overview.GetProperty("DaysWithData").GetInt64());
        Assert.Equal(all["pleiades_total"], overview.GetProperty("Events").GetInt64());
        Assert.Equal(all.GetValueOrDefault("pleiades_bot"), overview.GetProperty("BotEvents").GetInt64());
        Assert.Equal(all.GetValueOrDefault("pleiades_minor"), overview.GetProperty("MinorEdits").GetInt64());
        Assert.Equal(all.GetValueOrDefault("pleiades_type_new"), overview.GetProperty("NewPages").GetInt64());
        Assert.Equal(all["pleiades_growth"], overview.GetProperty("Growth").GetInt64());
        Assert.Equal(all.Keys.Count(name => name.StartsWith("pleiades_wiki_", StringComparison.Ordinal)), overview.GetProperty("Wikis").GetInt64());
        Assert.Equal(2, overview.GetProperty("Wikis").GetInt64()); // enwiki and wikidatawiki
    }

    [Fact]
    public async Task A_client_that_accepts_gzip_gets_the_same_document_gzipped()
    {
        var (unzipped, plain) = await StatsDocuments.GetGzippedAndPlainAsync(fixture.App, "api/stats/all", "gzip", TestContext.Current.CancellationToken);

        Assert.Equal(plain, unzipped);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_all_time_endpoints()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("openapi/v1.json", TestContext.Current.CancellationToken);

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/stats/all", out var all));
        Assert.True(all.GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(paths.TryGetProperty("/api/stats/all/overview", out _));
        // The per-day routes say that "all" is not theirs, and answer 404 (no data, or all time).
        var series = paths.GetProperty("/api/stats/{day}/series").GetProperty("get");
        var day = Assert.Single(series.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "day");
        Assert.Contains("'all' is a 404", day.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(series.GetProperty("responses").TryGetProperty("404", out _));
    }

    /// <summary>The per-day routes take "all" as their {day}: it names a view that does not exist, not a bad day number.</summary>
    [Theory]
    [InlineData("api/stats/all/series")]
    [InlineData("api/stats/all/wikis?family=wikipedia")]
    [InlineData("api/stats/all/top/pages")]
    [InlineData("api/stats/all/top/editors?bots=true")]
    [InlineData("api/stats/all/wikis/enwiki")]
    [InlineData("api/stats/ALL/series")]
    public async Task Views_that_exist_per_day_only_are_404_for_all_time_and_say_so(string path)
    {
        var ct = TestContext.Current.CancellationToken;

        using var response = await Client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal("No all-time view", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("/api/stats/all/overview", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not a day", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_words_under_the_per_day_routes_are_still_bad_days_and_all_is_still_all_time()
    {
        var ct = TestContext.Current.CancellationToken;

        using var series = await Client.GetAsync("api/stats/always/series", ct);
        using var upperCaseAll = await Client.GetAsync("api/stats/ALL", ct);

        Assert.Equal(HttpStatusCode.BadRequest, series.StatusCode);
        Assert.Equal("Bad day", (await series.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, upperCaseAll.StatusCode);
    }

    [Fact]
    public async Task The_feed_status_is_reported_when_only_older_days_have_data()
    {
        var ct = TestContext.Current.CancellationToken;
        var newestEvent = AllTimeApiFixture.Captures.SelectMany(AggregatedCounters.Sample)
            .Max(line => DateTimeOffset.Parse(AggregatedCounters.Parse(line).GetProperty("meta").GetProperty("dt").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());

        var status = await Client.GetFromJsonAsync<JsonElement>("api/status", ct);
        using var today = await Client.GetAsync("api/stats", ct);

        Assert.Equal(HttpStatusCode.NotFound, today.StatusCode);
        Assert.Equal(newestEvent, status.GetProperty("LastEventUnixMs").GetInt64());
        Assert.InRange(status.GetProperty("LastBatchUnixMs").GetInt64(), DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Before_anything_is_counted_all_time_is_404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var empty = new GarnetServer();
        await empty.InitializeAsync();
        await using var app = await WebAppHost.StartAsync(empty.Address);

        using var stats = await app.Client.GetAsync("api/stats/all", ct);
        using var overview = await app.Client.GetAsync("api/stats/all/overview", ct);

        Assert.Equal(HttpStatusCode.NotFound, stats.StatusCode);
        Assert.Equal("application/problem+json", stats.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await stats.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, overview.StatusCode);
    }

    [Fact]
    public async Task All_time_is_rate_limited_with_the_rest_of_the_API()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WebAppHost.StartAsync(fixture.Redis.Address, new Dictionary<string, string?>
        {
            ["Web:Api:RateLimitPermits"] = "2",
            ["Web:Api:RateLimitWindow"] = "00:10:00",
        });

        var codes = new List<HttpStatusCode>();
        foreach (var path in (string[])["api/stats/all", "api/days", "api/stats/all"])
        {
            using var response = await app.Client.GetAsync(path, ct);
            codes.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], codes);
    }
}
