namespace Pleiades.Aggregator.Events;

/// <summary>How a frame of the event log turned out; everything but <see cref="Counted"/> is skipped.</summary>
public enum RecentChangeParseStatus
{
    /// <summary>A usable event: count it.</summary>
    Counted,

    /// <summary>A synthetic monitoring event (<c>meta.domain == "canary"</c>): ignored by design, not malformed.</summary>
    Canary,

    /// <summary>Not JSON at all (or truncated, or nested absurdly deep).</summary>
    InvalidJson,

    /// <summary>Valid JSON whose root is not an object.</summary>
    NotAnObject,

    /// <summary>Neither a usable <c>meta.dt</c> nor a usable <c>timestamp</c>.</summary>
    NoTimestamp,

    /// <summary>A wiki, type, title or user far longer than MediaWiki allows: hostile, not an edit.</summary>
    OversizedField,

    /// <summary>A string that is not valid UTF-8 / UTF-16 (e.g. a lone surrogate escape).</summary>
    InvalidText,
}
