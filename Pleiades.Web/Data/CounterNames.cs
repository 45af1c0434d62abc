namespace Pleiades.Web.Data;

/// <summary>The contract's counter names (CONTRACT.md section 2) and the descriptions the REST API gives them.</summary>
internal static class CounterNames
{
    public const string Total = "pleiades_total";
    public const string Bot = "pleiades_bot";
    public const string Minor = "pleiades_minor";
    public const string LengthIncreased = "pleiades_length_inc";
    public const string LengthDecreased = "pleiades_length_dec";
    public const string Growth = "pleiades_growth";
    public const string WikiPrefix = "pleiades_wiki_";
    public const string TypePrefix = "pleiades_type_";

    public static string Describe(string name) => name switch
    {
        Total => "Events counted (every event except canaries)",
        Bot => "Events made by bots",
        Minor => "Minor edits",
        LengthIncreased => "Changes that made a page longer",
        LengthDecreased => "Changes that made a page shorter",
        Growth => "Net change in page length, in bytes",
        _ when name.StartsWith(WikiPrefix, StringComparison.Ordinal) => $"Events on {name[WikiPrefix.Length..]}",
        _ when name.StartsWith(TypePrefix, StringComparison.Ordinal) => $"Events of type {name[TypePrefix.Length..]}",
        _ => "",
    };
}
