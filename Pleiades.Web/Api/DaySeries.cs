namespace Pleiades.Web.Api;

/// <summary>Events per hour (24 values) and per minute of the day (1,440 values, UTC).</summary>
public sealed record DaySeries(long Day, IReadOnlyList<long> EventsPerHour, IReadOnlyList<long> EventsPerMinute);
