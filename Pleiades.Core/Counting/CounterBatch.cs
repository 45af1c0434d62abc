using Pleiades.Events;

namespace Pleiades.Counting;

/// <summary>
/// The in-memory sum of one batch of events, per day, ready to be applied to Redis in one step together with
/// the log positions that produced it. Reusable: <see cref="Clear"/> after each batch.
/// </summary>
public sealed class CounterBatch
{
    private readonly Dictionary<long, DayDelta> _days = [];

    /// <summary>Counted events in the batch (canaries and malformed frames are not).</summary>
    public int CountedEvents { get; private set; }

    /// <summary>Newest event time in the batch, Unix ms; 0 when the batch counted nothing.</summary>
    public long NewestEventUnixMs { get; private set; }

    public IReadOnlyCollection<DayDelta> Days => _days.Values;

    public void Add(in RecentChange change)
    {
        var day = change.Day;
        if (!_days.TryGetValue(day, out var delta))
        {
            delta = new DayDelta(day);
            _days.Add(day, delta);
        }

        delta.Add(change);
        CountedEvents++;
        NewestEventUnixMs = Math.Max(NewestEventUnixMs, change.EventUnixMs);
    }

    /// <summary>The all-time counters: the sum of every day's.</summary>
    public Dictionary<string, long> AllTimeCounters()
    {
        var all = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var day in _days.Values)
        {
            foreach (var (name, value) in day.Counters())
            {
                all[name] = all.GetValueOrDefault(name) + value;
            }
        }

        return all;
    }

    public void Clear()
    {
        _days.Clear();
        CountedEvents = 0;
        NewestEventUnixMs = 0;
    }
}
