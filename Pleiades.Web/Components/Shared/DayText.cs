using System.Globalization;
using Pleiades.Counters;

namespace Pleiades.Web.Components.Shared;

/// <summary>How pages name a contract day (Unix days, UTC).</summary>
public static class DayText
{
    /// <summary>The last day DateTimeOffset can show; larger days (valid in URLs, never with data) are shown as it.</summary>
    private const long LastShowableDay = 2_932_896;

    public static string Of(long day) =>
        UnixDay.Start(Math.Min(day, LastShowableDay)).ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);
}
