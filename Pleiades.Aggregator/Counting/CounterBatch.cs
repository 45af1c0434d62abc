using Pleiades.Aggregator.Events;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// The in-memory sum of one batch of events, per day, ready to be applied to Redis in one step together with
/// the log positions that produced it. Reusable: <see cref="Clear"/> after each batch.
/// </summary>
public sealed class CounterBatch
{
    /// <summary>Emptied deltas kept for the next batches; a batch rarely spans more days than this.</summary>
    private const int MaxSpareDays = 4;

    private readonly Dictionary<long, DayDelta> _days = [];
    private readonly Stack<DayDelta> _spareDays = new();

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
            if (_spareDays.TryPop(out delta))
            {
                delta.Reset(day);
            }
            else
            {
                delta = new DayDelta(day);
            }

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
        foreach (var delta in _days.Values)
        {
            if (_spareDays.Count < MaxSpareDays)
            {
                _spareDays.Push(delta);
            }
        }

        _days.Clear();
        CountedEvents = 0;
        NewestEventUnixMs = 0;
    }
}
