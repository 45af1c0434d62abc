namespace Pleiades.Web.Data;

/// <summary>
/// A day's counters as <c>/api/stats</c> returns them; <see cref="Since"/> is the day's first Unix second. The
/// all-time counters (<c>/api/stats/all</c>) have the same shape, <see cref="Since"/> being the first second of the
/// first day with data.
/// </summary>
public sealed record DayCounters(long Since, IReadOnlyList<Counter> Counters);
