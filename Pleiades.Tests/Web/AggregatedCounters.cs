using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pleiades.Aggregator.Counting;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using StackExchange.Redis;

namespace Pleiades.Tests.Web;

/// <summary>
/// Puts counters into Redis for the Web's tests through the real aggregation code: the Aggregator's parser,
/// <see cref="CounterBatch"/> and <see cref="RedisCounterStore"/>'s apply script, so the Web is tested against
/// exactly what production writes.
/// </summary>
public static class AggregatedCounters
{
    // Minute rates of old captures would expire at once with the production retention; tests keep them.
    private static readonly TimeSpan KeepMinutes = TimeSpan.FromDays(36_500);

    /// <summary>The JSON lines of a real capture in the repository's data/samples.</summary>
    public static IReadOnlyList<string> Sample(string name) =>
        File.ReadLines(RealSamples.PathOf(name)).Where(line => line.Length > 0).ToList();

    /// <summary>A recentchange event in the current schema, for what the captures lack (other wikis, markup in titles).</summary>
    public static string Event(string wiki, string title, string user, DateTimeOffset at, string type = "edit", bool bot = false,
        bool minor = false, int oldLength = 100, int newLength = 120, int ns = 0) =>
        new JsonObject
        {
            ["$schema"] = "/mediawiki/recentchange/1.0.0",
            ["meta"] = new JsonObject { ["dt"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["domain"] = "test.example" },
            ["type"] = type,
            ["namespace"] = ns,
            ["title"] = title,
            ["timestamp"] = at.ToUnixTimeSeconds(),
            ["user"] = user,
            ["bot"] = bot,
            ["minor"] = minor,
            ["length"] = new JsonObject { ["old"] = oldLength, ["new"] = newLength },
            ["wiki"] = wiki,
        }.ToJsonString();

    /// <summary>The same event on another day, at the same time of day (so real captures can stand for today).</summary>
    public static string MoveToDay(string line, long day)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        var meta = node["meta"]!.AsObject();
        var at = DateTimeOffset.Parse(meta["dt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var moved = DateTimeOffset.FromUnixTimeSeconds(day * 86400 + at.ToUnixTimeSeconds() % 86400);
        meta["dt"] = moved.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        node["timestamp"] = moved.ToUnixTimeSeconds();
        return node.ToJsonString();
    }

    /// <summary>Counts <paramref name="lines"/> as one batch of a log of their own and applies it.</summary>
    /// <remarks><paramref name="minuteRetention"/> is the Aggregator's minute retention; by default the tests keep every day's per-wiki minutes.</remarks>
    public static async Task WriteAsync(IConnectionMultiplexer redis, IEnumerable<string> lines, long? batchUnixMs = null, TimeSpan? minuteRetention = null)
    {
        var records = lines.Select(Encoding.UTF8.GetBytes).ToList();
        var batch = CounterBatchTests.Count(records);
        var store = new RedisCounterStore(redis, minuteRetention ?? KeepMinutes);
        var result = await store.ApplyAsync("test:" + Guid.NewGuid().ToString("N"), batch,
            [new BatchPosition("0", BatchPosition.None, records.Count)],
            batchUnixMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(BatchApplyResult.Applied, result);
    }

    public static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();
}
