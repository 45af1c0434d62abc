using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Web;

/// <summary>
/// Garnet (in-process, as the AppHost's embedded mode runs it) holding the counters of real captures of three days
/// (Wikidata 2018-03-07 and 2018-03-15, enwiki 2023-07-29), each counted as its own batch by the Aggregator's code,
/// and the Web app over it.
/// </summary>
public sealed class AllTimeApiFixture() : WebAppFixture(new GarnetServer())
{
    public const long FirstDay = 17597; // 2018-03-07

    public static readonly IReadOnlyList<string> Captures =
    [
        RealSamples.WikidataBatch2018,
        RealSamples.WikidataReverts2018,
        RealSamples.WikidataNewItems2018,
        RealSamples.Enwiki2023,
    ];

    protected override async Task StartAsync()
    {
        foreach (var capture in Captures)
        {
            await AggregatedCounters.WriteAsync(Redis.Connection, AggregatedCounters.Sample(capture));
        }

        App = await WebAppHost.StartAsync(Redis.Address);
    }
}
