using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace Pleiades.Tests.Web;

/// <summary>
/// Writes counters for the Web's tests exactly as docs/redis-keys.md lays them out and CONTRACT.md section 2
/// counts them, from recentchange events (the real captures, optionally moved to another day). It stands in for
/// the Aggregator's batch code until that can be merged; the key names are spelled out here on purpose, so that a
/// mistake in the Web's own key constants would show.
/// </summary>
public static class TestCounterWriter
{
    /// <summary>Reads NDJSON / JSON-lines events from the shared captures.</summary>
    public static IReadOnlyList<JsonElement> ReadEvents(string relativePath) =>
        File.ReadLines(Path.Combine(RepositoryPaths.SharedData, relativePath))
            .Where(line => line.Length > 0)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    /// <summary>A recentchange event in the current schema, for cases the captures lack (other wikis, markup in titles).</summary>
    public static JsonElement Event(string wiki, string title, string user, DateTimeOffset at, string type = "edit", bool bot = false,
        bool minor = false, int oldLength = 100, int newLength = 120, int ns = 0) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["meta"] = new Dictionary<string, object> { ["dt"] = at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["domain"] = "test.example" },
            ["type"] = type,
            ["namespace"] = ns,
            ["title"] = title,
            ["user"] = user,
            ["bot"] = bot,
            ["minor"] = minor,
            ["wiki"] = wiki,
            ["length"] = new Dictionary<string, int> { ["old"] = oldLength, ["new"] = newLength },
            ["timestamp"] = at.ToUnixTimeSeconds(),
        });

    /// <summary>
    /// Counts <paramref name="events"/> into Redis in one batch. With <paramref name="moveToDay"/>, every event keeps
    /// its time of day but is counted on that day (so real captures can stand for today).
    /// </summary>
    public static async Task WriteAsync(IDatabase db, IEnumerable<JsonElement> events, long? moveToDay = null, long? lastBatchUnixMs = null)
    {
        var batch = db.CreateBatch();
        var pending = new List<Task>();
        long lastEvent = 0;
        foreach (var e in events)
        {
            if (e.TryGetProperty("meta", out var meta) && meta.TryGetProperty("domain", out var domain) && domain.GetString() == "canary")
            {
                continue;
            }

            var unix = meta.TryGetProperty("dt", out var dt) && DateTimeOffset.TryParse(dt.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed.ToUnixTimeSeconds()
                : e.GetProperty("timestamp").GetInt64();
            if (moveToDay is { } target)
            {
                unix = target * 86400 + unix % 86400;
            }

            var day = unix / 86400;
            var d = day.ToString(CultureInfo.InvariantCulture);
            var minute = (int)(unix % 86400 / 60);
            lastEvent = Math.Max(lastEvent, unix * 1000);

            var counters = new List<(string Name, long By)> { ("pleiades_total", 1) };
            var wiki = e.TryGetProperty("wiki", out var w) ? w.GetString() : null;
            if (wiki is not null)
            {
                counters.Add(("pleiades_wiki_" + wiki, 1));
            }

            if (e.TryGetProperty("type", out var type))
            {
                counters.Add(("pleiades_type_" + type.GetString(), 1));
            }

            var bot = e.TryGetProperty("bot", out var b) && b.ValueKind == JsonValueKind.True;
            if (bot)
            {
                counters.Add(("pleiades_bot", 1));
            }

            if (e.TryGetProperty("minor", out var m) && m.ValueKind == JsonValueKind.True)
            {
                counters.Add(("pleiades_minor", 1));
            }

            if (e.TryGetProperty("length", out var length) && length.ValueKind == JsonValueKind.Object)
            {
                var before = length.TryGetProperty("old", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt64() : 0;
                var after = length.TryGetProperty("new", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : 0;
                if (after > before)
                {
                    counters.Add(("pleiades_length_inc", 1));
                }
                else if (after < before)
                {
                    counters.Add(("pleiades_length_dec", 1));
                }

                counters.Add(("pleiades_growth", after - before));
            }

            foreach (var (name, by) in counters)
            {
                pending.Add(batch.HashIncrementAsync("pleiades:counters:" + d, name, by));
                pending.Add(batch.HashIncrementAsync("pleiades:counters:all", name, by));
            }

            pending.Add(batch.SortedSetAddAsync("pleiades:days", d, day));
            var hh = (minute / 60).ToString("00", CultureInfo.InvariantCulture);
            var mmmm = minute.ToString("0000", CultureInfo.InvariantCulture);
            pending.Add(batch.HashIncrementAsync("pleiades:hours:" + d, hh));
            pending.Add(batch.HashIncrementAsync("pleiades:minutes:" + d, mmmm));
            if (wiki is null)
            {
                continue;
            }

            pending.Add(batch.HashIncrementAsync("pleiades:hours:" + d, hh + "|" + wiki));
            pending.Add(batch.HashIncrementAsync("pleiades:minutes:" + d, mmmm + "|" + wiki));
            if (e.TryGetProperty("namespace", out var ns))
            {
                pending.Add(batch.HashIncrementAsync("pleiades:namespaces:" + d, wiki + "|" + ns.GetInt32().ToString(CultureInfo.InvariantCulture)));
            }

            if (e.TryGetProperty("title", out var title))
            {
                pending.Add(batch.SortedSetIncrementAsync("pleiades:top:pages:" + d, wiki + "|" + title.GetString(), 1));
            }

            if (e.TryGetProperty("user", out var user))
            {
                pending.Add(batch.SortedSetIncrementAsync($"pleiades:top:editors:{d}:{(bot ? "bot" : "human")}", wiki + "|" + user.GetString(), 1));
                pending.Add(batch.HyperLogLogAddAsync("pleiades:editors:" + d, user.GetString()));
            }

            if (bot)
            {
                pending.Add(batch.HashIncrementAsync("pleiades:bots:" + d, wiki));
            }
        }

        pending.Add(batch.HashSetAsync("pleiades:status",
        [
            new HashEntry("lastEventUnixMs", lastEvent),
            new HashEntry("lastBatchUnixMs", lastBatchUnixMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        ]));
        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Every key a day's counters live in, plus the shared ones, for cleaning up between tests.</summary>
    public static IEnumerable<string> KeysOf(params long[] days)
    {
        foreach (var day in days)
        {
            foreach (var prefix in new[] { "counters", "namespaces", "hours", "minutes", "top:pages", "editors", "bots" })
            {
                yield return $"pleiades:{prefix}:{day}";
            }

            yield return $"pleiades:top:editors:{day}:human";
            yield return $"pleiades:top:editors:{day}:bot";
        }

        yield return "pleiades:days";
        yield return "pleiades:status";
        yield return "pleiades:counters:all";
    }
}
