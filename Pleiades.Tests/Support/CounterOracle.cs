using System.Globalization;
using System.Text.Json;

namespace Pleiades.Tests.Support;

/// <summary>
/// What the counters must be after a capture is counted, computed straight from docs/contract.md section 2 with
/// <see cref="JsonDocument"/>: slow, plain and independent of the product's parser and counting code, so a rule
/// broken in the product cannot cancel out in a test that compares the two.
/// </summary>
/// <remarks>Free of xunit and of the product: the benchmarks may compile this file too.</remarks>
public static class CounterOracle
{
    private const long SecondsPerDay = 86_400;

    /// <summary>Counts the JSON text of each event (one line of a JSON-lines capture, or one SSE frame's data).</summary>
    public static ExpectedCounters Count(IEnumerable<string> events)
    {
        var days = new SortedDictionary<long, Dictionary<string, long>>();
        var allTime = new Dictionary<string, long>(StringComparer.Ordinal);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        long skipped = 0;
        long canaries = 0;
        long repeated = 0;

        foreach (var text in events)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                skipped++;
                continue;
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    skipped++;
                    continue;
                }

                var meta = Property(root, "meta", JsonValueKind.Object);
                if (meta is { } m && Property(m, "domain", JsonValueKind.String)?.GetString() == "canary")
                {
                    canaries++;
                    continue;
                }

                if (DayOf(root, meta) is not { } day)
                {
                    skipped++;
                    continue;
                }

                // The stream repeats a few events around a reconnect; each meta.id is one event.
                if (meta is { } withId && Property(withId, "id", JsonValueKind.String)?.GetString() is { } id && !seenIds.Add(id))
                {
                    repeated++;
                    continue;
                }

                if (!days.TryGetValue(day, out var counters))
                {
                    counters = new Dictionary<string, long>(StringComparer.Ordinal);
                    days.Add(day, counters);
                }

                foreach (var (name, value) in CountersOf(root))
                {
                    Add(counters, name, value);
                    Add(allTime, name, value);
                }
            }
        }

        return new ExpectedCounters(
            days.ToDictionary(day => day.Key, day => (IReadOnlyDictionary<string, long>)WithoutZeros(day.Value)),
            WithoutZeros(allTime),
            skipped,
            canaries,
            repeated);
    }

    /// <summary>Counts every non-empty line of a JSON-lines file.</summary>
    public static ExpectedCounters CountFile(string path) => Count(File.ReadLines(path));

    /// <summary>The counters one event adds: the rules of docs/contract.md section 2, one line each.</summary>
    private static IEnumerable<(string Name, long Value)> CountersOf(JsonElement root)
    {
        yield return ("pleiades_total", 1);

        if (Property(root, "wiki", JsonValueKind.String)?.GetString() is { } wiki)
        {
            yield return ("pleiades_wiki_" + wiki, 1);
        }

        if (Property(root, "type", JsonValueKind.String)?.GetString() is { } type)
        {
            yield return ("pleiades_type_" + type, 1);
        }

        if (Property(root, "bot", JsonValueKind.True) is not null)
        {
            yield return ("pleiades_bot", 1);
        }

        if (Property(root, "minor", JsonValueKind.True) is not null)
        {
            yield return ("pleiades_minor", 1);
        }

        if (Property(root, "length", JsonValueKind.Object) is { } length)
        {
            var old = Number(length, "old");
            var @new = Number(length, "new");
            if (@new > old)
            {
                yield return ("pleiades_length_inc", 1);
            }
            else if (@new < old)
            {
                yield return ("pleiades_length_dec", 1);
            }

            yield return ("pleiades_growth", @new - old);
        }
    }

    /// <summary>The UTC day of <c>meta.dt</c>, else of <c>timestamp</c> (Unix seconds), else none.</summary>
    private static long? DayOf(JsonElement root, JsonElement? meta)
    {
        if (meta is { } m
            && Property(m, "dt", JsonValueKind.String)?.GetString() is { } dt
            && DateTimeOffset.TryParse(dt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            && time.ToUnixTimeSeconds() >= 0)
        {
            return time.ToUnixTimeSeconds() / SecondsPerDay;
        }

        if (Property(root, "timestamp", JsonValueKind.Number) is { } timestamp
            && timestamp.TryGetInt64(out var seconds)
            && seconds >= 0)
        {
            return seconds / SecondsPerDay;
        }

        return null;
    }

    /// <summary>A property of the given kind; a property of any other kind counts as absent.</summary>
    private static JsonElement? Property(JsonElement element, string name, JsonValueKind kind) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == kind ? value : null;

    private static long Number(JsonElement length, string name) =>
        Property(length, name, JsonValueKind.Number) is { } value && value.TryGetInt64(out var number) ? number : 0;

    private static void Add(Dictionary<string, long> counters, string name, long value) =>
        counters[name] = counters.GetValueOrDefault(name) + value;

    private static Dictionary<string, long> WithoutZeros(Dictionary<string, long> counters) =>
        counters.Where(counter => counter.Value != 0).ToDictionary(StringComparer.Ordinal);
}

/// <summary>The counters a capture must produce: per Unix day and all-time (zero counters left out), and what was not counted.</summary>
/// <param name="Days">Counter name to value, per Unix day (Unix seconds div 86,400).</param>
/// <param name="AllTime">Counter name to value over every day.</param>
/// <param name="Skipped">Events that are not JSON objects or have no usable time.</param>
/// <param name="Canaries">Synthetic monitoring events, never counted.</param>
/// <param name="Repeated">Events whose meta.id was already counted.</param>
public sealed record ExpectedCounters(
    IReadOnlyDictionary<long, IReadOnlyDictionary<string, long>> Days,
    IReadOnlyDictionary<string, long> AllTime,
    long Skipped,
    long Canaries,
    long Repeated)
{
    /// <summary>Events counted on <paramref name="day"/> (0 for a day without events).</summary>
    public long TotalOn(long day) => Days.TryGetValue(day, out var counters) ? counters.GetValueOrDefault("pleiades_total") : 0;
}
