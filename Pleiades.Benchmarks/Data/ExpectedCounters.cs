using Pleiades.Counters;

namespace Pleiades.Benchmarks.Data;

/// <summary>
/// Counters computed straight from the generated events, without the project's parser or counting code: what the
/// Aggregators must have written to <c>pleiades:counters:all</c> once every event is counted exactly once.
/// </summary>
internal sealed class ExpectedCounters
{
    public long Total { get; private set; }

    public long Bot { get; private set; }

    public long Growth { get; private set; }

    public Dictionary<string, long> Wikis { get; } = new(StringComparer.Ordinal);

    /// <summary>Events per day (Unix seconds of meta.dt div 86400), what <c>pleiades:counters:{d}</c> must total.</summary>
    public SortedDictionary<long, long> Days { get; } = [];

    public void Count(long day, string wiki, bool bot, long lengthOld, long lengthNew)
    {
        Total++;
        Days[day] = Days.GetValueOrDefault(day) + 1;
        Bot += bot ? 1 : 0;
        Growth += lengthNew - lengthOld;
        Wikis[wiki] = Wikis.GetValueOrDefault(wiki) + 1;
    }

    /// <summary>The counters checked: the total, bots, growth and the five busiest wikis plus the quietest.</summary>
    public IEnumerable<KeyValuePair<string, long>> Checked()
    {
        yield return new(CounterNames.Total, Total);
        yield return new(CounterNames.Bot, Bot);
        yield return new(CounterNames.Growth, Growth);
        var ordered = Wikis.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).ToList();
        foreach (var (wiki, count) in ordered.Take(5).Append(ordered[^1]))
        {
            yield return new(CounterNames.Wiki(wiki), count);
        }
    }
}
