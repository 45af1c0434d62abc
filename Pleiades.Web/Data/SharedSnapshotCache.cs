using System.Collections.Concurrent;

namespace Pleiades.Web.Data;

/// <summary>
/// Keeps each read for a short lifetime and shares it between every caller, including callers that arrive
/// while it is still in flight, so that hundreds of viewers cost Redis one read per key and lifetime.
/// Reads never throw (they return a <see cref="CounterRead{T}"/>), so a cached task never faults.
/// </summary>
internal sealed class SharedSnapshotCache<TKey, TValue>(TimeProvider time, TimeSpan lifetime)
    where TKey : notnull
{
    /// <summary>Keys come from the URL (any day), so expired entries are dropped once there are this many.</summary>
    private const int PruneAbove = 256;

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly Lock _refresh = new();

    public Task<TValue> GetAsync(TKey key, Func<TKey, Task<TValue>> read)
    {
        if (_entries.TryGetValue(key, out var entry) && IsFresh(entry))
        {
            return entry.Value;
        }

        lock (_refresh)
        {
            if (_entries.TryGetValue(key, out entry) && IsFresh(entry))
            {
                return entry.Value;
            }

            if (_entries.Count >= PruneAbove)
            {
                foreach (var (staleKey, stale) in _entries)
                {
                    if (!IsFresh(stale))
                    {
                        _entries.TryRemove(staleKey, out _);
                    }
                }
            }

            entry = new Entry(read(key), time.GetTimestamp());
            _entries[key] = entry;
            return entry.Value;
        }
    }

    // An entry in flight is fresh: its readers wait for it rather than start another read.
    private bool IsFresh(Entry entry) => !entry.Value.IsCompleted || time.GetElapsedTime(entry.ReadAt) < lifetime;

    private sealed record Entry(Task<TValue> Value, long ReadAt);
}
