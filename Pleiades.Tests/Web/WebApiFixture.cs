using System.Text.Json;

namespace Pleiades.Tests.Web;

/// <summary>
/// One redis-server holding counters of real captures (enwiki 2023-07-29, wikidatawiki 2018) plus a few of today,
/// and one Web app over it, shared by a test class.
/// </summary>
public sealed class WebApiFixture : IAsyncLifetime
{
    public const long EnwikiDay = 19567; // 2023-07-29

    public RedisServer Redis { get; } = new();

    public WebAppHost App { get; private set; } = null!;

    public IReadOnlyList<JsonElement> EnwikiEvents { get; private set; } = [];

    public IReadOnlyList<JsonElement> TodayEvents { get; private set; } = [];

    public long Today { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86400;

    public async ValueTask InitializeAsync()
    {
        await Redis.InitializeAsync();
        EnwikiEvents = TestCounterWriter.ReadEvents("samples/enwiki-2023-07-29.ndjson");
        await TestCounterWriter.WriteAsync(Redis.Database, EnwikiEvents);
        await TestCounterWriter.WriteAsync(Redis.Database, TestCounterWriter.ReadEvents("samples/qs_batch_with_new_items.jsonl"));

        var now = DateTimeOffset.UtcNow;
        TodayEvents =
        [
            TestCounterWriter.Event("dewiki", "Berlin", "Alice", now),
            TestCounterWriter.Event("dewiktionary", "Haus", "Bob", now, type: "new", oldLength: 0, newLength: 300),
            TestCounterWriter.Event("commonswiki", "File:Sun.jpg", "SunBot", now, bot: true, minor: true, oldLength: 50, newLength: 10),
        ];
        await TestCounterWriter.WriteAsync(Redis.Database, TodayEvents);
        App = await WebAppHost.StartAsync(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Web:Api:CorsOrigins:0"] = "https://dashboards.example.org",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
