using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Web;

/// <summary>The REST API of CONTRACT.md section 3 against a real redis-server holding real counters, over real HTTP.</summary>
[Trait("Category", "Integration")]
public sealed class StatsApiContractTests(WebApiFixture fixture) : IClassFixture<WebApiFixture>
{
    private HttpClient Client => fixture.App.Client;

    [Fact]
    public async Task A_day_answers_the_original_shape_with_the_counts_of_its_events()
    {
        using var response = await Client.GetAsync($"api/stats/{WebApiFixture.EnwikiDay}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(["Since", "Counters"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(WebApiFixture.EnwikiDay * 86400, root.GetProperty("Since").GetInt64());

        var counters = root.GetProperty("Counters").EnumerateArray().ToList();
        Assert.All(counters, c => Assert.Equal(["Name", "Description", "Value"], c.EnumerateObject().Select(p => p.Name)));
        var values = StatsDocuments.Values(root);

        // Every counter, as the oracle computes the contract's rules over the capture.
        Assert.Equal(CounterOracle.Count(fixture.EnwikiEvents.Select(e => e.GetRawText())).Days[WebApiFixture.EnwikiDay], values);

        // And the rules spelt out once more over the capture's JSON.
        var events = fixture.EnwikiEvents;
        Assert.Equal(events.Count, values["pleiades_total"]);
        Assert.Equal(events.Count, values["pleiades_wiki_enwiki"]);
        Assert.Equal(events.Count(e => e.GetProperty("bot").GetBoolean()), values.GetValueOrDefault("pleiades_bot"));
        Assert.Equal(events.Count(e => e.TryGetProperty("minor", out var m) && m.GetBoolean()), values.GetValueOrDefault("pleiades_minor"));
        foreach (var type in events.GroupBy(e => e.GetProperty("type").GetString()))
        {
            Assert.Equal(type.Count(), values["pleiades_type_" + type.Key]);
        }

        var withLength = events.Where(e => e.TryGetProperty("length", out _)).ToList();
        Assert.Equal(withLength.Sum(e => Length(e, "new") - Length(e, "old")), values["pleiades_growth"]);
        Assert.Equal(withLength.Count(e => Length(e, "new") > Length(e, "old")), values["pleiades_length_inc"]);
        Assert.Equal(withLength.Count(e => Length(e, "new") < Length(e, "old")), values["pleiades_length_dec"]);
        Assert.True(withLength.Count > values["pleiades_length_inc"] + values["pleiades_length_dec"], "the capture has unchanged lengths, which count as neither");
        Assert.Contains(counters, c => c.GetProperty("Name").GetString() == "pleiades_total" && c.GetProperty("Description").GetString()!.Length > 0);
    }

    [Fact]
    public async Task A_client_that_accepts_gzip_gets_the_same_document_gzipped()
    {
        var (unzipped, plain) = await StatsDocuments.GetGzippedAndPlainAsync(fixture.App, $"api/stats/{WebApiFixture.EnwikiDay}",
            "br;q=1.0, gzip;q=0.8", TestContext.Current.CancellationToken);

        Assert.Equal(plain, unzipped);
    }

    [Fact]
    public async Task Today_is_served_at_api_stats()
    {
        var today = await Client.GetFromJsonAsync<JsonElement>("api/stats", TestContext.Current.CancellationToken);

        Assert.Equal(fixture.Today * 86400, today.GetProperty("Since").GetInt64());
        Assert.Equal(CounterOracle.Count(fixture.TodayEvents.Select(e => e.GetRawText())).Days[fixture.Today], StatsDocuments.Values(today));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("20000")]
    [InlineData("99999999999999999999999")]
    public async Task A_day_without_data_is_404(string day)
    {
        using var response = await Client.GetAsync($"api/stats/{day}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("%20")]
    [InlineData("%EF%BC%91")] // a full-width digit one: a digit to Unicode, not to the contract
    [InlineData("19567%3Cscript%3E")]
    public async Task A_day_that_is_not_a_non_negative_integer_is_a_problem_400(string day)
    {
        using var response = await Client.GetAsync($"api/stats/{day}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Days_are_the_days_with_data_ascending_as_strings()
    {
        var days = await Client.GetFromJsonAsync<JsonElement>("api/days", TestContext.Current.CancellationToken);

        var list = days.EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.All(days.EnumerateArray(), d => Assert.Equal(JsonValueKind.String, d.ValueKind));
        Assert.Contains(WebApiFixture.EnwikiDay.ToString(CultureInfo.InvariantCulture), list);
        Assert.Contains(fixture.Today.ToString(CultureInfo.InvariantCulture), list);
        Assert.Equal(list.OrderBy(long.Parse), list);
    }

    [Fact]
    public async Task Dashboard_endpoints_agree_with_the_counters()
    {
        var ct = TestContext.Current.CancellationToken;
        var day = WebApiFixture.EnwikiDay;
        var overview = await Client.GetFromJsonAsync<JsonElement>($"api/stats/{day}/overview", ct);
        var series = await Client.GetFromJsonAsync<JsonElement>($"api/stats/{day}/series", ct);
        var wikis = await Client.GetFromJsonAsync<JsonElement>($"api/stats/{day}/wikis?family=wikipedia", ct);
        var pages = await Client.GetFromJsonAsync<JsonElement>($"api/stats/{day}/top/pages?limit=5", ct);
        var detail = await Client.GetFromJsonAsync<JsonElement>($"api/stats/{day}/wikis/enwiki", ct);

        var total = fixture.EnwikiEvents.Count;
        Assert.Equal(total, overview.GetProperty("Events").GetInt64());
        Assert.Equal(total, series.GetProperty("EventsPerMinute").EnumerateArray().Sum(v => v.GetInt64()));
        Assert.Equal(1440, series.GetProperty("EventsPerMinute").GetArrayLength());
        Assert.Equal(total, series.GetProperty("EventsPerHour").EnumerateArray().Sum(v => v.GetInt64()));
        var enwiki = Assert.Single(wikis.EnumerateArray());
        Assert.Equal("English", enwiki.GetProperty("Name").GetString());
        Assert.Equal(total, enwiki.GetProperty("Events").GetInt64());
        Assert.InRange(pages.GetArrayLength(), 1, 5);
        var topTitle = fixture.EnwikiEvents.GroupBy(e => e.GetProperty("title").GetString()).Max(g => g.Count());
        Assert.Equal(topTitle, pages[0].GetProperty("Events").GetInt64());
        Assert.Equal(total, detail.GetProperty("Events").GetInt64());
        Assert.Equal(total, detail.GetProperty("EventsPerMinute").EnumerateArray().Sum(v => v.GetInt64()));
        Assert.Equal(fixture.EnwikiEvents.Count(e => e.GetProperty("namespace").GetInt32() == 0), detail.GetProperty("EventsPerNamespace").GetProperty("0").GetInt64());
    }

    [Theory]
    [InlineData("api/stats/19567/top/pages?limit=0")]
    [InlineData("api/stats/19567/top/pages?limit=abc")]
    [InlineData("api/stats/19567/wikis?family=nonsense")]
    [InlineData("api/stats/19567/wikis/en%3Cwiki")]
    public async Task Bad_query_input_is_a_problem_400(string url)
    {
        using var response = await Client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_endpoint()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("openapi/v1.json", TestContext.Current.CancellationToken);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/stats", paths);
        Assert.Contains("/api/stats/{day}", paths);
        Assert.Contains("/api/days", paths);
        Assert.Contains("/api/stats/{day}/series", paths);
        Assert.Contains("/api/stats/{day}/wikis/{wiki}", paths);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_CORS_only_for_configured_origins()
    {
        var ct = TestContext.Current.CancellationToken;
        using var page = await Client.GetAsync("", ct);
        using var allowed = new HttpRequestMessage(HttpMethod.Get, "api/days") { Headers = { { "Origin", "https://dashboards.example.org" } } };
        using var allowedResponse = await Client.SendAsync(allowed, ct);
        using var other = new HttpRequestMessage(HttpMethod.Get, "api/days") { Headers = { { "Origin", "https://evil.example" } } };
        using var otherResponse = await Client.SendAsync(other, ct);

        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("https://dashboards.example.org", Assert.Single(allowedResponse.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(otherResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Metrics_have_the_contract_names()
    {
        var ct = TestContext.Current.CancellationToken;
        (await Client.GetAsync($"api/stats/{WebApiFixture.EnwikiDay}", ct)).Dispose();

        // The exporter collects on scrape; the first scrape may predate the request's measurement.
        var text = "";
        for (var attempt = 0; attempt < 20 && !text.Contains("pleiades_web_http_response_total{", StringComparison.Ordinal); attempt++)
        {
            text = await Client.GetStringAsync("metrics", ct);
            await Task.Delay(100, ct);
        }

        Assert.Matches("""(?m)^pleiades_web_http_response_total\{(?=[^\n]*status="200")(?=[^\n]*path="/api/stats/\{day\}")[^\n]*\} [1-9]""", text);
        Assert.Contains("pleiades_web_http_duration_seconds_bucket{", text, StringComparison.Ordinal);
        // Label values may hold braces (path="/api/stats/{day}"), so match up to the line's closing brace.
        Assert.Matches("""(?m)^pleiades_web_http_duration_seconds_bucket\{.*le="0.005"\} \d""", text);
        Assert.Matches("""pleiades_web_counter_marshal_duration_seconds_count\{[^}]*operation="get_counters"[^}]*\} [1-9]""", text);
    }

    [Fact]
    public async Task Health_and_liveness_answer()
    {
        using var alive = await Client.GetAsync("alive", TestContext.Current.CancellationToken);
        using var health = await Client.GetAsync("health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>SizedJsonFilter: sent chunked, the closing chunk of a small answer leaves in a packet of its own when requests run inline.</summary>
    [Theory]
    [InlineData("api/days")]
    [InlineData("api/stats/{0}/overview")]
    [InlineData("api/stats/{0}/series")]
    [InlineData("api/stats/{0}/wikis?limit=5")]
    [InlineData("api/stats/{0}/top/pages?limit=5")]
    public async Task Json_answers_have_a_content_length_and_are_not_chunked(string path)
    {
        using var response = await Client.GetAsync(string.Format(CultureInfo.InvariantCulture, path, WebApiFixture.EnwikiDay), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        using var json = JsonDocument.Parse(body);
    }

    private static long Length(JsonElement e, string which) =>
        e.GetProperty("length").TryGetProperty(which, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    [Fact]
    public async Task The_site_has_a_favicon()
    {
        using var response = await Client.GetAsync("favicon.ico", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var icon = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        // An ICO file: reserved 0, type 1 (icon), at least one image.
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, icon[..4]);
        Assert.True(icon[4] > 0);
    }

    [Fact]
    public async Task A_browser_asking_for_an_unknown_page_gets_the_not_found_page_and_the_api_keeps_problem_json()
    {
        var ct = TestContext.Current.CancellationToken;
        using var page = new HttpRequestMessage(HttpMethod.Get, "no/such/page");
        page.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var api = new HttpRequestMessage(HttpMethod.Get, "api/no/such/thing");
        api.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var pageResponse = await Client.SendAsync(page, ct);
        using var apiResponse = await Client.SendAsync(api, ct);

        Assert.Equal(HttpStatusCode.NotFound, pageResponse.StatusCode);
        Assert.Equal("text/html", pageResponse.Content.Headers.ContentType?.MediaType);
        var html = await pageResponse.Content.ReadAsStringAsync(ct);
        Assert.Contains("<h1>Not found</h1>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, apiResponse.StatusCode);
        Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType?.MediaType);
    }
}
