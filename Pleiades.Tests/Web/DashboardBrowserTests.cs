using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Pleiades.Tests.Web;

/// <summary>The dashboard in headless Chromium over real counters; screenshots go to the test output's TestResults.</summary>
public sealed class DashboardBrowserTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    [Fact]
    public async Task The_numbers_on_screen_are_the_APIs_and_change_live()
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await fixture.OpenAsync("");
        var counters = await Counters(ct);

        await Assertions.Expect(page.GetByTestId("events")).ToHaveAttributeAsync("data-value", counters["pleiades_total"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("minor")).ToHaveAttributeAsync("data-value", counters["pleiades_minor"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("growth")).ToHaveAttributeAsync("data-value", counters["pleiades_growth"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(counters["pleiades_total"].ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            await page.GetByTestId("events").Locator(".value").InnerTextAsync());
        await Assertions.Expect(page.GetByTestId("wikipedias")).ToContainTextAsync("English");
        await Assertions.Expect(page.GetByTestId("wiktionaries")).ToContainTextAsync("French");
        await Assertions.Expect(page.GetByTestId("specials")).ToContainTextAsync("Wikidata");
        await DashboardBrowserFixture.ScreenshotAsync(page, "today");

        // New counters arrive: the open page shows them without a reload.
        await AggregatedCounters.WriteAsync(fixture.Redis.Connection,
            [AggregatedCounters.Event("itwiki", "Roma", "Dario", DateTimeOffset.UtcNow), AggregatedCounters.Event("itwiki", "Milano", "Dario", DateTimeOffset.UtcNow)]);
        var expected = (counters["pleiades_total"] + 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.GetByTestId("events")).ToHaveAttributeAsync("data-value", expected);
        await Assertions.Expect(page.GetByTestId("wikipedias")).ToContainTextAsync("Italian");
        await DashboardBrowserFixture.ScreenshotAsync(page, "today-after-update");
        await page.CloseAsync();
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

    private async Task<Dictionary<string, long>> Counters(CancellationToken ct)
    {
        var stats = await fixture.App.Client.GetFromJsonAsync<JsonElement>("api/stats", ct);
        return stats.GetProperty("Counters").EnumerateArray().ToDictionary(c => c.GetProperty("Name").GetString()!, c => c.GetProperty("Value").GetInt64());
    }
}
