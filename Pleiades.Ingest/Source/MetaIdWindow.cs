namespace Pleiades.Ingest.Source;

/// <summary>
/// The last N <c>meta.id</c>s seen, to drop the few events EventStreams repeats around a resume (its ids are
/// positions per partition and events are not strictly ordered). Bounded: the oldest id leaves when a new one arrives.
/// </summary>
public sealed class MetaIdWindow(int capacity)
{
    private readonly HashSet<Guid> _ids = new(capacity);
    private readonly Queue<Guid> _order = new(capacity);

    public int Count => _ids.Count;

    /// <summary>Remembers <paramref name="metaId"/>; false when it is already in the window (a duplicate).</summary>
    public bool TryAdd(Guid metaId)
    {
        if (capacity <= 0)
        {
            return true;
        }

        if (!_ids.Add(metaId))
        {
            return false;
        }

        _order.Enqueue(metaId);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }

        return true;
    }
}
