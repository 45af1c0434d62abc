using Pleiades.Counters;

namespace Pleiades.Web.Data;

/// <summary>The descriptions the REST API gives the contract's counters (the original left them empty).</summary>
internal static class CounterDescriptions
{
    public static string Describe(string name) => name switch
    {
        CounterNames.Total => "Events counted (every event except canaries)",
        CounterNames.Bot => "Events made by bots",
        CounterNames.Minor => "Minor edits",
        CounterNames.LengthIncrease => "Changes that made a page longer",
        CounterNames.LengthDecrease => "Changes that made a page shorter",
        CounterNames.Growth => "Net change in page length, in bytes",
        _ when name.StartsWith(CounterNames.WikiPrefix, StringComparison.Ordinal) => $"Events on {name[CounterNames.WikiPrefix.Length..]}",
        _ when name.StartsWith(CounterNames.TypePrefix, StringComparison.Ordinal) => $"Events of type {name[CounterNames.TypePrefix.Length..]}",
        _ => "",
    };
}
