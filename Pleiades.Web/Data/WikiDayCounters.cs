namespace Pleiades.Web.Data;

/// <summary>
/// One wiki's counters on one day as a snapshot read them, in one Redis call: what the wiki's page shows and what
/// <see cref="Api.WikiDetail"/>, the API's document, is made from.
/// </summary>
public sealed record WikiDayCounters(
    long Day,
    string Wiki,
    long Events,
    long BotEvents,
    IReadOnlyList<long> EventsPerHour,
    IReadOnlyList<long> EventsPerMinute,
    IReadOnlyDictionary<int, long> EventsPerNamespace,
    IReadOnlyList<RankedEntry> TopPages);
