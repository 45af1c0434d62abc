using Pleiades.Aggregator.Events;
using Pleiades.Counters;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// One day's share of a batch: the contract counters (CONTRACT.md section 2) and the richer aggregates of
/// docs/redis-keys.md, summed in memory so that a batch costs one write however many events it holds.
/// Keyed by the pooled wiki and type strings, so adding an event allocates only for a new key.
/// </summary>
public sealed class DayDelta
{
    private const int MinutesPerHour = 60;

    public DayDelta(long day) => Day = day;

    public long Day { get; private set; }

    public long Total { get; private set; }

    public long Bot { get; private set; }

    public long Minor { get; private set; }

    public long LengthIncrease { get; private set; }

    public long LengthDecrease { get; private set; }

    public long Growth { get; private set; }

    /// <summary>Events per <c>wiki</c> (<c>pleiades_wiki_*</c>).</summary>
    public Dictionary<string, long> Wikis { get; } = new(StringComparer.Ordinal);

    /// <summary>Events per <c>type</c> (<c>pleiades_type_*</c>).</summary>
    public Dictionary<string, long> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Events per wiki and namespace number.</summary>
    public Dictionary<(string Wiki, int Namespace), long> Namespaces { get; } = [];

    /// <summary>All events per hour of the day (index 0-23).</summary>
    public long[] Hours { get; } = new long[24];

    public Dictionary<(int Hour, string Wiki), long> WikiHours { get; } = [];

    /// <summary>All events per minute of the day (0-1439).</summary>
    public Dictionary<int, long> Minutes { get; } = [];

    public Dictionary<(int Minute, string Wiki), long> WikiMinutes { get; } = [];

    /// <summary>Events per wiki and title.</summary>
    public Dictionary<(string Wiki, string Title), long> Pages { get; } = [];

    /// <summary>Events per wiki and user, by humans (<c>bot</c> not true).</summary>
    public Dictionary<(string Wiki, string User), long> HumanEditors { get; } = [];

    /// <summary>Events per wiki and user, by bots.</summary>
    public Dictionary<(string Wiki, string User), long> BotEditors { get; } = [];

    /// <summary>Distinct users (for the day's HyperLogLog).</summary>
    public HashSet<string> Editors { get; } = new(StringComparer.Ordinal);

    /// <summary>Events by bots per wiki.</summary>
    public Dictionary<string, long> BotsByWiki { get; } = new(StringComparer.Ordinal);

    /// <summary>How many keyed counts the delta holds: what sizes the apply script's arguments.</summary>
    public int KeyedCounts =>
        Wikis.Count + Types.Count + Namespaces.Count + WikiHours.Count + Minutes.Count + WikiMinutes.Count + Pages.Count
        + HumanEditors.Count + BotEditors.Count + Editors.Count + BotsByWiki.Count;

    /// <summary>Adds one counted event of this day.</summary>
    public void Add(in RecentChange change)
    {
        Total++;
        if (change.Bot)
        {
            Bot++;
        }

        if (change.Minor)
        {
            Minor++;
        }

        if (change.HasLength)
        {
            var growth = change.LengthNew - change.LengthOld;
            Growth += growth;
            // Equal lengths count as neither (the Go original counted them as a decrease).
            if (growth > 0)
            {
                LengthIncrease++;
            }
            else if (growth < 0)
            {
                LengthDecrease++;
            }
        }

        if (change.Type is { } type)
        {
            Increment(Types, type);
        }

        var msOfDay = change.EventUnixMs - (Day * UnixDay.Milliseconds);
        var minute = (int)(msOfDay / 60_000);
        var hour = minute / MinutesPerHour;
        Hours[hour]++;
        Increment(Minutes, minute);

        if (change.User is { } user)
        {
            Editors.Add(user);
        }

        if (change.Wiki is not { } wiki)
        {
            return;
        }

        Increment(Wikis, wiki);
        Increment(WikiHours, (hour, wiki));
        Increment(WikiMinutes, (minute, wiki));
        if (change.Namespace is { } ns)
        {
            Increment(Namespaces, (wiki, ns));
        }

        if (change.Title is { } title)
        {
            Increment(Pages, (wiki, title));
        }

        if (change.Bot)
        {
            Increment(BotsByWiki, wiki);
        }

        if (change.User is { } editor)
        {
            Increment(change.Bot ? BotEditors : HumanEditors, (wiki, editor));
        }
    }

    /// <summary>
    /// Empties this delta for reuse as <paramref name="day"/>'s. The dictionaries keep their capacity: a batch of
    /// thousands of events fills some of them with thousands of entries, and allocating those arrays afresh for
    /// every batch put them on the large object heap, which only a full collection frees (BENCHMARKS.md).
    /// </summary>
    public void Reset(long day)
    {
        Day = day;
        Total = Bot = Minor = LengthIncrease = LengthDecrease = Growth = 0;
        Wikis.Clear();
        Types.Clear();
        Namespaces.Clear();
        Array.Clear(Hours);
        WikiHours.Clear();
        Minutes.Clear();
        WikiMinutes.Clear();
        Pages.Clear();
        HumanEditors.Clear();
        BotEditors.Clear();
        Editors.Clear();
        BotsByWiki.Clear();
    }

    /// <summary>The contract counters of this day as (name, value) pairs, zero values left out.</summary>
    public IEnumerable<KeyValuePair<string, long>> Counters()
    {
        foreach (var (name, value) in FixedCounters())
        {
            if (value != 0)
            {
                yield return new(name, value);
            }
        }

        foreach (var (wiki, count) in Wikis)
        {
            yield return new(CounterNames.Wiki(wiki), count);
        }

        foreach (var (type, count) in Types)
        {
            yield return new(CounterNames.Type(type), count);
        }
    }

    private IEnumerable<(string Name, long Value)> FixedCounters()
    {
        yield return (CounterNames.Total, Total);
        yield return (CounterNames.Bot, Bot);
        yield return (CounterNames.Minor, Minor);
        yield return (CounterNames.LengthIncrease, LengthIncrease);
        yield return (CounterNames.LengthDecrease, LengthDecrease);
        yield return (CounterNames.Growth, Growth);
    }

    private static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key)
        where TKey : notnull
    {
        ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
        count++;
    }
}
