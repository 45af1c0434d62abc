using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pleiades.Hosting.Infrastructure;

namespace Pleiades.Tests.Web;

/// <summary>The dashboard in headless Chromium over real counters; screenshots go to the test output's TestResults.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardBrowserTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    [Fact]
    public async Task The_numbers_on_screen_are_the_APIs_and_change_live()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var page = await fixture.OpenAsync("");
        // Recorded for the performance issue (first view interactive), not asserted: the machine is shared.
        await File.WriteAllTextAsync(Path.Combine(WebTestPaths.TestResults, "web-first-view-interactive-ms.txt"),
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture), ct);
        var counters = await Counters(ct);

        await Assertions.Expect(page.GetByTestId("events")).ToHaveAttributeAsync("data-value", counters["pleiades_total"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("minor")).ToHaveAttributeAsync("data-value", counters["pleiades_minor"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("growth")).ToHaveAttributeAsync("data-value", counters["pleiades_growth"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("bots")).ToHaveAttributeAsync("data-value", counters["pleiades_bot"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("new-pages")).ToHaveAttributeAsync("data-value", counters["pleiades_type_new"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(counters["pleiades_total"].ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            await page.GetByTestId("events").Locator(".value").InnerTextAsync());

        // The Wikipedia table shows what the API's ranking says, row by row.
        var ranking = await fixture.App.Client.GetFromJsonAsync<JsonElement>($"api/stats/{fixture.Today}/wikis?family=wikipedia", ct);
        var rows = await page.GetByTestId("wikipedias").Locator("tbody tr").AllInnerTextsAsync();
        Assert.Equal(ranking.GetArrayLength(), rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Contains(ranking[i].GetProperty("Name").GetString()!, rows[i], StringComparison.Ordinal);
            Assert.Contains(ranking[i].GetProperty("Events").GetInt64().ToString("N0", System.Globalization.CultureInfo.InvariantCulture), rows[i], StringComparison.Ordinal);
        }
        await Assertions.Expect(page.GetByTestId("wikipedias")).ToContainTextAsync("English");
        await Assertions.Expect(page.GetByTestId("wiktionaries")).ToContainTextAsync("French");
        await Assertions.Expect(page.GetByTestId("specials")).ToContainTextAsync("Wikidata");
        await DashboardBrowserFixture.ScreenshotAsync(page, "today");

        // New counters arrive: the open page shows them without a reload.
        await AggregatedCounters.WriteAsync(fixture.Redis.Connection,
            [AggregatedCounters.Event("itwiki", "Roma", "Dario", fixture.Now), AggregatedCounters.Event("itwiki", "Milano", "Dario", fixture.Now)],
            fixture.Now.ToUnixTimeMilliseconds());
        var expected = (counters["pleiades_total"] + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.GetByTestId("events")).ToHaveAttributeAsync("data-value", expected);
        await Assertions.Expect(page.GetByTestId("wikipedias")).ToContainTextAsync("Italian");
        await DashboardBrowserFixture.ScreenshotAsync(page, "today-after-update");
        await page.CloseAsync();
        Assert.DoesNotContain(fixture.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_all_time_figures_are_the_APIs_on_every_page_and_follow_other_days()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await fixture.OpenAsync("");
        var all = await AllTimeCounters(ct);
        var today = await Counters(ct);
        var enwikiDay = await fixture.App.Client.GetFromJsonAsync<JsonElement>($"api/stats/{WebApiFixture.EnwikiDay}", ct);

        // All time is today plus the enwiki capture's day, and the page shows it beside the day's figures.
        Assert.Equal(today["pleiades_total"] + StatsDocuments.Values(enwikiDay)["pleiades_total"], all["pleiades_total"]);
        await ExpectAllTime(page, all);
        Assert.Equal(all["pleiades_total"].ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            await page.GetByTestId("all-events").Locator(".value").InnerTextAsync());
        await Assertions.Expect(page.GetByTestId("all-time")).ToContainTextAsync("2 days");
        await DashboardBrowserFixture.ScreenshotAsync(page, "today-with-all-time");

        // Counts for another day arrive: the open page's all-time figures follow them, today's stay.
        await AggregatedCounters.WriteAsync(fixture.Redis.Connection,
            [AggregatedCounters.Event("enwiki", "Olympia", "Dario", DateTimeOffset.FromUnixTimeSeconds(WebApiFixture.EnwikiDay * 86400 + 3600), bot: true)],
            fixture.Now.ToUnixTimeMilliseconds());
        await Assertions.Expect(page.GetByTestId("all-events")).ToHaveAttributeAsync("data-value", Text(all["pleiades_total"] + 1));
        await Assertions.Expect(page.GetByTestId("all-bots")).ToHaveAttributeAsync("data-value", Text(all["pleiades_bot"] + 1));
        await Assertions.Expect(page.GetByTestId("events")).ToHaveAttributeAsync("data-value", Text(today["pleiades_total"]));
        await page.CloseAsync();

        // A past day's page shows the same all-time figures.
        var pastDay = await fixture.OpenAsync($"day/{WebApiFixture.EnwikiDay}");
        await ExpectAllTime(pastDay, await AllTimeCounters(ct));
        await pastDay.CloseAsync();
    }

    [Fact]
    public async Task A_title_with_markup_shows_as_text()
    {
        var page = await fixture.OpenAsync("");

        var topPages = page.GetByTestId("top-pages");
        await Assertions.Expect(topPages).ToContainTextAsync(DashboardBrowserFixture.MarkupTitle);
        Assert.Equal(0, await topPages.Locator("img, b").CountAsync());
        Assert.NotEqual("pwned", await page.TitleAsync());
        var link = topPages.GetByText(DashboardBrowserFixture.MarkupTitle);
        Assert.StartsWith("https://en.wikipedia.org/wiki/", await link.GetAttributeAsync("href"), StringComparison.Ordinal);
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_day_picker_and_an_empty_day_render()
    {
        var page = await fixture.OpenAsync($"day/{fixture.Today - 1}");

        await Assertions.Expect(page.GetByTestId("empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("day-picker")).ToBeVisibleAsync();
        await DashboardBrowserFixture.ScreenshotAsync(page, "empty-day");
        await page.GetByTestId("day-picker").SelectOptionAsync(fixture.Today.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("events")).ToBeVisibleAsync();
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_widest_figures_fit_their_cards_at_1400_px()
    {
        // The page opens 1400 px wide. Every card gets a figure as wide as BigNumber renders it: "+674,279" overflowed
        // once; eleven characters are more than any day counts, and BigNumber marks such figures "long".
        var page = await fixture.OpenAsync("");
        await Assertions.Expect(page.GetByTestId("all-events")).ToBeVisibleAsync();

        const string Overflowing = """
            ([text, className]) => [...document.querySelectorAll('.big-number')]
                .map(card => { const value = card.querySelector('.value'); value.textContent = text; value.className = className; return card; })
                .filter(card => card.scrollWidth > card.clientWidth || card.querySelector('.value').scrollWidth > card.querySelector('.value').clientWidth)
                .map(card => card.dataset.testid)
            """;
        var eight = await page.EvaluateAsync<string[]>(Overflowing, new[] { "+674,279", "value" });
        var eleven = await page.EvaluateAsync<string[]>(Overflowing, new[] { "+12,345,678", "value long" });

        Assert.Empty(eight);
        Assert.Empty(eleven);
        Assert.Equal(1400, page.ViewportSize!.Width);
        await page.CloseAsync();
    }

    [Fact]
    public async Task An_unknown_page_is_the_sites_not_found_page_and_no_request_of_a_page_fails()
    {
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var page = await fixture.Browser.NewPageAsync();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Add($"{response.Status} {response.Url}");
            }
        };

        var notFound = await page.GotoAsync(new Uri(fixture.App.Address, "no-such-page").ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await DashboardBrowserFixture.ScreenshotAsync(page, "not-found");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to today" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("events")).ToBeVisibleAsync();
        var icon = await page.EvaluateAsync<int>("async () => (await fetch('/favicon.ico')).status");

        Assert.Equal(404, notFound!.Status);
        Assert.Equal(200, icon);
        Assert.Equal([$"404 {new Uri(fixture.App.Address, "no-such-page")}"], failed);
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_wiki_has_its_own_page()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await fixture.OpenAsync("");
        var counters = await Counters(ct);

        await page.GetByTestId("wikipedias").GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/wiki/enwiki$"));
        await Assertions.Expect(page.GetByTestId("wiki-events")).ToHaveAttributeAsync("data-value", counters["pleiades_wiki_enwiki"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("wiki-namespace-table")).ToContainTextAsync("Main");
        await DashboardBrowserFixture.ScreenshotAsync(page, "wiki-enwiki");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Without_Redis_the_page_says_so()
    {
        await using var app = await WebAppHost.StartAsync($"127.0.0.1:{FreePort.Next()}");
        var page = await fixture.Browser.NewPageAsync();

        await page.GotoAsync(app.Address.ToString());

        await Assertions.Expect(page.GetByTestId("redis-down")).ToBeVisibleAsync();
        await DashboardBrowserFixture.ScreenshotAsync(page, "redis-down");
        await page.CloseAsync();
    }

    private async Task<Dictionary<string, long>> Counters(CancellationToken ct) =>
        StatsDocuments.Values(await fixture.App.Client.GetFromJsonAsync<JsonElement>("api/stats", ct));

    private async Task<Dictionary<string, long>> AllTimeCounters(CancellationToken ct) =>
        StatsDocuments.Values(await fixture.App.Client.GetFromJsonAsync<JsonElement>("api/stats/all", ct));

    private static async Task ExpectAllTime(IPage page, Dictionary<string, long> all)
    {
        await Assertions.Expect(page.GetByTestId("all-events")).ToHaveAttributeAsync("data-value", Text(all["pleiades_total"]));
        await Assertions.Expect(page.GetByTestId("all-bots")).ToHaveAttributeAsync("data-value", Text(all["pleiades_bot"]));
        await Assertions.Expect(page.GetByTestId("all-minor")).ToHaveAttributeAsync("data-value", Text(all["pleiades_minor"]));
        await Assertions.Expect(page.GetByTestId("all-new-pages")).ToHaveAttributeAsync("data-value", Text(all["pleiades_type_new"]));
        await Assertions.Expect(page.GetByTestId("all-growth")).ToHaveAttributeAsync("data-value", Text(all["pleiades_growth"]));
        await Assertions.Expect(page.GetByTestId("all-wikis")).ToHaveAttributeAsync("data-value",
            Text(all.Keys.Count(name => name.StartsWith("pleiades_wiki_", StringComparison.Ordinal))));
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
