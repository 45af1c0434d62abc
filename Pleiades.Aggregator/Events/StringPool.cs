namespace Pleiades.Aggregator.Events;

/// <summary>
/// Hands out one string instance per distinct text, looked up by span so that a repeated wiki, type or user
/// name costs no allocation. Bounded: when full it starts over, so hostile input cannot grow it without end.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    public StringPool(int capacity)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _strings.Count;

    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var pooled))
        {
            return pooled;
        }

        if (_strings.Count >= _capacity)
        {
            _strings.Clear();
        }

        var created = text.ToString();
        _strings.Add(created, created);
        return created;
    }
}
