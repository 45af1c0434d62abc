namespace Pleiades.Web.Data;

/// <summary>One counter as the original REST API showed it.</summary>
public sealed record Counter(string Name, string Description, long Value);

/// <summary>A day's counters as <c>/api/stats</c> returns them; <see cref="Since"/> is the day's first Unix second.</summary>
public sealed record DayCounters(long Since, IReadOnlyList<Counter> Counters);
