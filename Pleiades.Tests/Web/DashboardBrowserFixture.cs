using Microsoft.Playwright;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Web;

/// <summary>
/// redis-server with today's counters (the real enwiki and Wikidata captures moved to today, plus Wiktionary
/// events and a title with markup) and the enwiki capture's own day, the Web app over it, and Debian's headless Chromium driven by Playwright.
/// No browser is downloaded: Playwright launches /usr/bin/chromium.
/// </summary>
public sealed class DashboardBrowserFixture : WebAppFixture
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>A page title as a vandal might write it: it must show as these characters, never as markup.</summary>
    public const string MarkupTitle = "<img src=x onerror=\"document.title='pwned'\"><b>Bold</b> & co";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Errors the pages logged in the browser's console (CSP violations among them).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> ConsoleErrors { get; } = [];

    protected override async Task StartAsync()
    {
        var now = Now;
        string[] extra =
        [
            AggregatedCounters.Event("enwiki", MarkupTitle, "Mallory", now),
            AggregatedCounters.Event("enwiki", MarkupTitle, "Mallory", now),
            AggregatedCounters.Event("enwiki", MarkupTitle, "Mallory", now),
            AggregatedCounters.Event("enwiki", MarkupTitle, "Mallory", now),
            AggregatedCounters.Event("enwiki", MarkupTitle, "Mallory", now),
            AggregatedCounters.Event("dewiktionary", "Haus", "Bob", now, type: "new", oldLength: 0, newLength: 300),
            AggregatedCounters.Event("frwiktionary", "maison", "Claire", now),
            AggregatedCounters.Event("frwiktionary", "chat", "Claire", now),
            AggregatedCounters.Event("commonswiki", "File:Sun.jpg", "SunBot", now, bot: true, minor: true),
        ];
        var captures = AggregatedCounters.Sample(RealSamples.Enwiki2023).Concat(AggregatedCounters.Sample(RealSamples.WikidataNewItems2018));
        await AggregatedCounters.WriteAsync(Redis.Connection, captures.Select(line => AggregatedCounters.MoveToDay(line, Today)).Concat(extra), now.ToUnixTimeMilliseconds());
        // The enwiki capture also on its own day, so that all time is more than today.
        await AggregatedCounters.WriteAsync(Redis.Connection, AggregatedCounters.Sample(RealSamples.Enwiki2023), now.ToUnixTimeMilliseconds());
        App = await WebAppHost.StartAsync(Redis.Address, new Dictionary<string, string?>
        {
            ["Web:LiveRefreshInterval"] = "00:00:00.500",
        }, time: Clock);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Timeout = 30_000,
        });
    }

    public async Task<IPage> OpenAsync(string path)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(20_000);
        // The content security policy must not stop anything the site itself needs.
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        await page.GotoAsync(new Uri(App.Address, path).ToString());
        // Interactive once the circuit has rendered: live updates and charts run from then on.
        await Assertions.Expect(page.Locator("[data-interactive]")).ToHaveAttributeAsync("data-interactive", "true");
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebTestPaths.TestResults, $"web-{name}.png"), FullPage = true });

    protected override async Task StopAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
