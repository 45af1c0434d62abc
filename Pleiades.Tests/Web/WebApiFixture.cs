using System.Text.Json;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Web;

/// <summary>
/// One redis-server holding counters of real captures (enwiki 2023-07-29, wikidatawiki 2018) plus a few of today,
/// and one Web app over it, shared by a test class.
/// </summary>
public sealed class WebApiFixture : WebAppFixture
{
    public const long EnwikiDay = 19567; // 2023-07-29

    public IReadOnlyList<JsonElement> EnwikiEvents { get; private set; } = [];

    public IReadOnlyList<JsonElement> TodayEvents { get; private set; } = [];

    protected override async Task StartAsync()
    {
        var now = Now;
        var enwiki = AggregatedCounters.Sample(RealSamples.Enwiki2023);
        EnwikiEvents = enwiki.Select(AggregatedCounters.Parse).ToList();
        await AggregatedCounters.WriteAsync(Redis.Connection, enwiki, now.ToUnixTimeMilliseconds());
        await AggregatedCounters.WriteAsync(Redis.Connection, AggregatedCounters.Sample(RealSamples.WikidataNewItems2018), now.ToUnixTimeMilliseconds());

        string[] today =
        [
            AggregatedCounters.Event("dewiki", "Berlin", "Alice", now),
            AggregatedCounters.Event("dewiktionary", "Haus", "Bob", now, type: "new", oldLength: 0, newLength: 300),
            AggregatedCounters.Event("commonswiki", "File:Sun.jpg", "SunBot", now, bot: true, minor: true, oldLength: 50, newLength: 10),
        ];
        TodayEvents = today.Select(AggregatedCounters.Parse).ToList();
        await AggregatedCounters.WriteAsync(Redis.Connection, today, now.ToUnixTimeMilliseconds());
        App = await WebAppHost.StartAsync(Redis.Address, new Dictionary<string, string?>
        {
            ["Web:Api:CorsOrigins:0"] = "https://dashboards.example.org",
        }, time: Clock);
    }
}
