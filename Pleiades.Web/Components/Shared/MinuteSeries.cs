using System.Globalization;
using Pleiades.Counters;

namespace Pleiades.Web.Components.Shared;

/// <summary>Per-minute counts shaped for a chart: labelled HH:MM (UTC), and ending at the current minute for today.</summary>
public static class MinuteSeries
{
    private static readonly string[] AllLabels = Enumerable.Range(0, 1440)
        .Select(m => (m / 60).ToString("00", CultureInfo.InvariantCulture) + ":" + (m % 60).ToString("00", CultureInfo.InvariantCulture))
        .ToArray();

    public static (string[] Labels, long[] Values) Shape(IReadOnlyList<long> perMinute, bool today, DateTimeOffset now)
    {
        // Today's chart stops at the current minute instead of running flat to midnight.
        var minutes = today ? UnixDay.MinuteOfDay(now.ToUnixTimeSeconds()) + 1 : perMinute.Count;
        minutes = Math.Clamp(minutes, 0, Math.Min(perMinute.Count, AllLabels.Length));
        return (AllLabels[..minutes], perMinute.Take(minutes).ToArray());
    }
}
