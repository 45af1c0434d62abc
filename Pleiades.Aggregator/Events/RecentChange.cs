using Pleiades.Counters;

namespace Pleiades.Aggregator.Events;

/// <summary>
/// What the counters need from one event of the Wikimedia <c>recentchange</c> stream (CONTRACT.md section 2).
/// Strings are shared between events where they repeat (wiki and type names), so a batch allocates little.
/// </summary>
public readonly record struct RecentChange
{
    /// <summary>When the event happened, Unix milliseconds: <c>meta.dt</c>, else <c>timestamp</c> seconds.</summary>
    public long EventUnixMs { get; init; }

    /// <summary>The <c>wiki</c> field (e.g. <c>enwiki</c>), null when absent.</summary>
    public string? Wiki { get; init; }

    /// <summary>The <c>type</c> field (edit, new, log, categorize, external, ...), null when absent.</summary>
    public string? Type { get; init; }

    public bool Bot { get; init; }

    public bool Minor { get; init; }

    /// <summary>True when a <c>length</c> object was present (not null).</summary>
    public bool HasLength { get; init; }

    /// <summary><c>length.old</c>; 0 when missing.</summary>
    public long LengthOld { get; init; }

    /// <summary><c>length.new</c>; 0 when missing.</summary>
    public long LengthNew { get; init; }

    /// <summary>The <c>namespace</c> number, null when absent.</summary>
    public int? Namespace { get; init; }

    public string? Title { get; init; }

    public string? User { get; init; }

    /// <summary>The contract's day of the event time.</summary>
    public long Day => UnixDay.OfUnixMilliseconds(EventUnixMs);
}
