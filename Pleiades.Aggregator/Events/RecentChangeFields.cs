namespace Pleiades.Aggregator.Events;

/// <summary>
/// The optional fields the counters read. A frame that has one with the wrong JSON type (<c>"bot": "true"</c>,
/// <c>"wiki": 42</c>, <c>"length": 5</c>) is still counted, with that field read as absent (CONTRACT.md section 2);
/// the parser says which ones it ignored so that the oddity is counted in a metric.
/// </summary>
[Flags]
public enum RecentChangeFields
{
    None = 0,
    Meta = 1 << 0,
    Wiki = 1 << 1,
    Type = 1 << 2,
    Bot = 1 << 3,
    Minor = 1 << 4,
    Length = 1 << 5,
    LengthOld = 1 << 6,
    LengthNew = 1 << 7,
    Namespace = 1 << 8,
    Title = 1 << 9,
    User = 1 << 10,
}
