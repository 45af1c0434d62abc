using System.Globalization;
using System.Text.Json;

namespace Pleiades.Tests.Support;

/// <summary>
/// The counters docs/contract.md section 2 defines, computed straight from a capture's JSON lines with nothing of the
/// product's parsing or counting code: what <c>/api/stats/{day}</c> and <c>/api/stats/all</c> must show once every
/// event has been counted exactly once.
/// </summary>
public sealed class CounterOracle
{
    private readonly SortedDictionary<long, Dictionary<string, long>> _days = [];
    private readonly Dictionary<string, long> _allTime = new(StringComparer.Ordinal);

    /// <summary>Each Unix day's counters (name to value).</summary>
    public IReadOnlyDictionary<long, Dictionary<string, long>> Days => _days;

    /// <summary>The all-time bucket.</summary>
    public IReadOnlyDictionary<string, long> AllTime => _allTime;

    /// <summary>Counts every line (one event's JSON each) by the contract's rules.</summary>
    public static CounterOracle Count(IEnumerable<string> jsonLines)
    {
        var oracle = new CounterOracle();
        foreach (var line in jsonLines)
        {
            oracle.Add(line);
        }

        return oracle;
    }

    private void Add(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var e = document.RootElement;
            if (e.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var meta = e.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
            if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("domain", out var domain)
                && domain.ValueKind == JsonValueKind.String && domain.GetString() == "canary")
            {
                return;
            }

            if (Day(e, meta) is not { } day)
            {
                return;
            }

            if (!_days.TryGetValue(day, out var counters))
            {
                _days[day] = counters = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            foreach (var (name, value) in Counters(e))
            {
                counters[name] = counters.GetValueOrDefault(name) + value;
                _allTime[name] = _allTime.GetValueOrDefault(name) + value;
            }
        }
    }

    /// <summary>Unix seconds of <c>meta.dt</c> div 86,400, else of <c>timestamp</c>; null when neither is usable.</summary>
    private static long? Day(JsonElement e, JsonElement meta)
    {
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("dt", out var dt) && dt.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(dt.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return Math.DivRem(time.ToUnixTimeSeconds(), 86_400).Quotient;
        }

        return e.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number && timestamp.TryGetInt64(out var seconds)
            ? seconds / 86_400
            : null;
    }

    private static IEnumerable<(string Name, long Value)> Counters(JsonElement e)
    {
        yield return ("pleiades_total", 1);
        if (e.TryGetProperty("wiki", out var wiki) && wiki.ValueKind == JsonValueKind.String)
        {
            yield return ("pleiades_wiki_" + wiki.GetString(), 1);
        }

        if (e.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            yield return ("pleiades_type_" + type.GetString(), 1);
        }

        if (e.TryGetProperty("bot", out var bot) && bot.ValueKind == JsonValueKind.True)
        {
            yield return ("pleiades_bot", 1);
        }

        if (e.TryGetProperty("minor", out var minor) && minor.ValueKind == JsonValueKind.True)
        {
            yield return ("pleiades_minor", 1);
        }

        if (e.TryGetProperty("length", out var length) && length.ValueKind == JsonValueKind.Object)
        {
            var change = Length(length, "new") - Length(length, "old");
            yield return ("pleiades_growth", change);
            if (change != 0)
            {
                yield return (change > 0 ? "pleiades_length_inc" : "pleiades_length_dec", 1);
            }
        }
    }

    private static long Length(JsonElement length, string name) =>
        length.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;
}
