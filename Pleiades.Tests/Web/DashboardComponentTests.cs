using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Losses;
using Pleiades.Hosting.Infrastructure;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Web;
using Pleiades.Web.Components.Pages;
using Pleiades.Web.Components.Shared;
using StackExchange.Redis;

namespace Pleiades.Tests.Web;

/// <summary>
/// The dashboard's states rendered by bUnit over the real counter reading code and a real redis-server:
/// a day with data, a day without, and a Redis that does not answer. (bUnit has no browser, so its JS
/// runtime stands in for the chart module; the browser tests run the real one.)
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardComponentTests : IClassFixture<DebianRedisServer>, IAsyncLifetime
{
    private const long DataDay = 19567;
    private readonly DebianRedisServer _redis;

    public DashboardComponentTests(DebianRedisServer redis) => _redis = redis;

    public async ValueTask InitializeAsync()
    {
        await _redis.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await AggregatedCounters.WriteAsync(_redis.Connection, AggregatedCounters.Sample(RealSamples.Enwiki2023));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_day_with_data_shows_its_numbers_and_lists()
    {
        await using var context = CreateContext(_redis.Connection);

        var cut = context.Render<Dashboard>(p => p.Add(d => d.Day, DataDay));

        cut.WaitForAssertion(() => Assert.Equal("100", cut.Find("[data-testid=events]").GetAttribute("data-value")), TimeSpan.FromSeconds(10));
        Assert.Equal("100", cut.Find("[data-testid=events] .value").TextContent);
        Assert.Contains("English", cut.Find("[data-testid=wikipedias]").TextContent, StringComparison.Ordinal);
        Assert.Equal(15, cut.FindAll("[data-testid=top-pages] tbody tr").Count);
        Assert.Empty(cut.FindAll("[data-testid=redis-down]"));
        Assert.Empty(cut.FindAll("[data-testid=empty]"));
        Assert.Empty(cut.FindAll("[data-testid=events-lost]"));
        cut.WaitForAssertion(() => Assert.Equal("100", cut.Find("[data-testid=all-events]").GetAttribute("data-value")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_day_without_data_shows_the_empty_state()
    {
        await using var context = CreateContext(_redis.Connection);

        var cut = context.Render<Dashboard>(p => p.Add(d => d.Day, 12));

        cut.WaitForElement("[data-testid=empty]", TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=events]"));
        Assert.Empty(cut.FindAll("[data-testid=redis-down]"));
        // The all-time figures stay: other days have data.
        cut.WaitForAssertion(() => Assert.Equal("100", cut.Find("[data-testid=all-events]").GetAttribute("data-value")), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_home_page_shows_the_latest_day_with_data_when_today_has_none()
    {
        await using var context = CreateContext(_redis.Connection);

        var cut = context.Render<Dashboard>();

        var notice = cut.WaitForElement("[data-testid=fallback]", TimeSpan.FromSeconds(10));
        Assert.Contains("No data for today", notice.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/day/{DataDay}", cut.Find("[data-testid=latest-day]").GetAttribute("href"));
        Assert.Equal("100", cut.Find("[data-testid=events]").GetAttribute("data-value"));
        Assert.Contains(DayText.Of(DataDay), cut.Find("h1").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=empty]"));
    }

    [Fact]
    public async Task A_past_day_keeps_its_minute_chart_with_the_aggregators_own_retention()
    {
        await _redis.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30), Xunit.TestContext.Current.CancellationToken);
        await AggregatedCounters.WriteAsync(_redis.Connection, AggregatedCounters.Sample(RealSamples.Enwiki2023), minuteRetention: RedisCounterStore.DefaultMinuteRetention);
        await using var context = CreateContext(_redis.Connection);
        var charts = context.JSInterop.SetupModule("./js/charts.js");

        var cut = context.Render<Dashboard>(p => p.Add(d => d.Day, DataDay));

        cut.WaitForAssertion(() => Assert.Contains(charts.Invocations, i => i.Identifier == "render" && (string?)i.Arguments[4] == "Events per minute (UTC)"), TimeSpan.FromSeconds(10));
        var minutes = (IReadOnlyList<long>)charts.Invocations.Last(i => i.Identifier == "render" && (string?)i.Arguments[4] == "Events per minute (UTC)").Arguments[3]!;
        // The whole day, every event in its minute.
        Assert.Equal(1440, minutes.Count);
        Assert.Equal(100, minutes.Sum());
    }

    [Theory]
    [InlineData(1, "editor")]
    [InlineData(2, "editors")]
    [InlineData(0, "editors")]
    public async Task A_figure_of_one_is_singular(long editors, string label)
    {
        await using var context = CreateContext(_redis.Connection);

        var cut = context.Render<BigNumber>(p => p.Add(b => b.Label, "editors").Add(b => b.One, "editor").Add(b => b.Value, editors));

        Assert.Equal(label, cut.Find(".label").TextContent);
    }

    [Theory]
    [InlineData(674_279, "+674,279", "value")]
    [InlineData(12_345_678, "+12,345,678", "value long")]
    public async Task Figures_longer_than_eight_characters_are_marked_long_for_a_smaller_size(long growth, string text, string classes)
    {
        await using var context = CreateContext(_redis.Connection);

        var cut = context.Render<BigNumber>(p => p.Add(b => b.Label, "bytes of growth").Add(b => b.Value, growth).Add(b => b.Signed, true));

        Assert.Equal(text, cut.Find(".value").TextContent);
        Assert.Equal(classes, cut.Find(".value").ClassName);
    }

    [Fact]
    public async Task Redis_down_shows_a_message_instead_of_an_error()
    {
        await using var down = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
        {
            EndPoints = { $"127.0.0.1:{FreePort.Next()}" },
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
        });
        await using var context = CreateContext(down);

        var cut = context.Render<Dashboard>(p => p.Add(d => d.Day, DataDay));

        var message = cut.WaitForElement("[data-testid=redis-down]", TimeSpan.FromSeconds(15));
        Assert.Contains("Redis", message.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=events]"));
    }

    [Fact]
    public async Task Today_says_when_data_stopped_arriving()
    {
        // The page's clock is fixed at midday: on the real clock, "ten minutes ago" falls on yesterday in the first
        // ten minutes after midnight (UTC), and today would then rightly show no data rather than stale data.
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(12), TimeSpan.Zero);
        var tenMinutesAgo = now.AddMinutes(-10);
        await AggregatedCounters.WriteAsync(_redis.Connection, [AggregatedCounters.Event("dewiki", "Berlin", "Alice", tenMinutesAgo)],
            batchUnixMs: tenMinutesAgo.ToUnixTimeMilliseconds());
        await using var context = CreateContext(_redis.Connection, new WallClockAt(now));

        var cut = context.Render<Dashboard>();

        var notice = cut.WaitForElement("[data-testid=stale]", TimeSpan.FromSeconds(10));
        Assert.Contains(tenMinutesAgo.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), notice.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=live]"));
    }

    [Fact]
    public async Task Events_lost_before_they_were_counted_are_shown_with_how_many_and_where()
    {
        var gap = new LogGap("kafka:c1:pleiades-events", "0", 0, 1234, 1234, null,
            "1234 events of pleiades-events partition 0 (offsets 0 to 1233) were gone from the broker before they were counted");
        await new RedisLossStore(_redis.Connection).RecordAsync(gap, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await using var context = CreateContext(_redis.Connection);

        var cut = context.Render<Dashboard>(p => p.Add(d => d.Day, DataDay));

        var notice = cut.WaitForElement("[data-testid=events-lost]", TimeSpan.FromSeconds(10));
        Assert.Contains("1,234 events in 1 gap", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("offsets 0 to 1233", notice.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wiki_page_shows_its_part_and_refuses_names_that_are_no_wiki()
    {
        await using var context = CreateContext(_redis.Connection);

        var enwiki = context.Render<WikiPage>(p => p.Add(w => w.Day, DataDay).Add(w => w.Wiki, "enwiki"));
        var bogus = context.Render<WikiPage>(p => p.Add(w => w.Day, DataDay).Add(w => w.Wiki, "<script>"));

        enwiki.WaitForAssertion(() => Assert.Equal("100", enwiki.Find("[data-testid=wiki-events]").GetAttribute("data-value")), TimeSpan.FromSeconds(10));
        Assert.Contains("English", enwiki.Find("h1").TextContent, StringComparison.Ordinal);
        Assert.NotNull(bogus.Find("[data-testid=unknown-wiki]"));
        Assert.Contains("&lt;script&gt;", bogus.Find("h1").InnerHtml, StringComparison.Ordinal);
    }

    private static BunitContext CreateContext(IConnectionMultiplexer redis, TimeProvider? time = null)
    {
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        if (time is not null)
        {
            context.Services.AddSingleton(time);
        }

        context.Services.AddLogging();
        context.Services.AddOptions<WebOptions>();
        context.Services.AddSingleton(redis);
        context.Services.AddCounterSnapshots();
        context.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }

    /// <summary>The real clock's timers and timestamps, but a fixed time of day.</summary>
    private sealed class WallClockAt(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
