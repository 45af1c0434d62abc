namespace Pleiades.Web.Data;

/// <summary>
/// The all-time bucket (<c>pleiades:counters:all</c>) as one snapshot holds it: the document <c>/api/stats/all</c>
/// serves (in the shape of a day's, its <c>Since</c> the first second of <paramref name="FirstDay"/>), the first day
/// with data and how many days have data.
/// </summary>
public sealed record AllTimeCounters(DayCountersDocument Document, long FirstDay, long DaysWithData);
