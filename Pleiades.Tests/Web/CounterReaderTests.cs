using Microsoft.Extensions.DependencyInjection;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Web;
using Pleiades.Web.Data;

namespace Pleiades.Tests.Web;

/// <summary>The Web's read scripts against Garnet (in-process, as the AppHost's embedded mode runs it).</summary>
[Trait("Category", "Integration")]
public sealed class CounterReaderOnGarnetTests(GarnetServer server) : CounterReaderTests(server), IClassFixture<GarnetServer>;

/// <summary>The Web's read scripts against Debian's redis-server.</summary>
[Trait("Category", "Integration")]
public sealed class CounterReaderOnRedisTests(DebianRedisServer server) : CounterReaderTests(server), IClassFixture<DebianRedisServer>;

/// <summary>Each view is read in one call and equals what the real aggregation wrote from a real capture.</summary>
public abstract class CounterReaderTests(RedisProtocolServer server) : IAsyncLifetime
{
    private const long Day = 19567;

    public async ValueTask InitializeAsync()
    {
        await server.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await AggregatedCounters.WriteAsync(server.Connection, AggregatedCounters.Sample(RealSamples.Enwiki2023), batchUnixMs: 1234);
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task The_day_view_holds_every_part_of_the_day()
    {
        var read = await Reader().ReadDayViewAsync(Day).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(CounterReadState.Data, read.State);
        var view = read.Value!;
        Assert.Equal(100, view.Counter("pleiades_total"));
        Assert.Equal(100, view.EventsPerHour.Sum());
        Assert.Equal(24, view.EventsPerHour.Count);
        Assert.Equal(1440, view.EventsPerMinute.Count);
        Assert.Equal(100, view.EventsPerMinute.Sum());
        Assert.Equal(98, view.TopHumanEditors.Sum(e => e.Events));
        Assert.Equal(2, view.TopBotEditors.Sum(e => e.Events));
        Assert.All(view.TopPages, p => Assert.Equal("enwiki", p.Wiki));
        Assert.Contains(view.TopPages, p => p.Name == "EFL Championship");
        Assert.InRange(view.UniqueEditors, 1, 100);
        Assert.Equal(2, view.BotEventsPerWiki["enwiki"]);
        Assert.Equal(1234, view.Status.LastBatchUnixMs);
        Assert.Equal([Day], view.Days);
    }

    [Fact]
    public async Task The_wiki_view_holds_only_that_wikis_part()
    {
        var reader = Reader();
        var enwiki = await reader.ReadWikiDayCountersAsync(Day, "enwiki", 10).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var dewiki = await reader.ReadWikiDayCountersAsync(Day, "dewiki", 10).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(CounterReadState.Data, enwiki.State);
        Assert.Equal(100, enwiki.Value!.Events);
        Assert.Equal(2, enwiki.Value.BotEvents);
        Assert.Equal(100, enwiki.Value.EventsPerMinute.Sum());
        Assert.Equal(100, enwiki.Value.EventsPerNamespace.Values.Sum());
        Assert.Equal(10, enwiki.Value.TopPages.Count);
        Assert.Equal(CounterReadState.NoData, dewiki.State);
    }

    [Fact]
    public async Task Counters_and_days_are_read_and_a_day_without_data_is_empty()
    {
        var reader = Reader();
        var counters = await reader.ReadDayCountersAsync(Day).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var none = await reader.ReadDayCountersAsync(Day + 1).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var days = await reader.ReadDaysAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(Day * 86400, counters.Value!.Value.Since);
        Assert.Equal(100, counters.Value.Value.Counters.Single(c => c.Name == "pleiades_total").Value);
        Assert.Equal(CounterReadState.NoData, none.State);
        Assert.Equal([Day], days.Value!);
    }

    [Fact]
    public async Task The_all_time_counters_are_read_with_their_first_day_and_an_empty_store_has_none()
    {
        var reader = Reader();
        var all = await reader.ReadAllTimeCountersAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var day = await reader.ReadDayCountersAsync(Day).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await server.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var none = await reader.ReadAllTimeCountersAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(CounterReadState.Data, all.State);
        Assert.Equal(Day, all.Value!.FirstDay);
        Assert.Equal(1, all.Value.DaysWithData);
        Assert.Equal(Day * 86400, all.Value.Document.Value.Since);
        // One day counted: all time is that day, counter for counter.
        Assert.Equal(day.Value!.Value.Counters, all.Value.Document.Value.Counters);
        Assert.Equal(CounterReadState.NoData, none.State);
    }

    private CounterReader Reader()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(server.Connection)
            .AddCounterSnapshots()
            .BuildServiceProvider();
        return services.GetRequiredService<CounterReader>();
    }
}
