using System.Globalization;

namespace Pleiades.Web.Components.Shared;

/// <summary>A part of a whole as the pages show it (e.g. bots' share of the events).</summary>
public static class Share
{
    public static string Of(long part, long whole, int decimals = 1) =>
        (whole == 0 ? 0 : (double)part / whole).ToString("P" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
