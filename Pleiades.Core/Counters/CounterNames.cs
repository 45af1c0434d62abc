namespace Pleiades.Counters;

/// <summary>The original's counter names (CONTRACT.md section 2): the fields of <c>pleiades:counters:{d}</c>.</summary>
public static class CounterNames
{
    public const string Total = "pleiades_total";
    public const string WikiPrefix = "pleiades_wiki_";
    public const string TypePrefix = "pleiades_type_";
    public const string Bot = "pleiades_bot";
    public const string Minor = "pleiades_minor";
    public const string LengthIncrease = "pleiades_length_inc";
    public const string LengthDecrease = "pleiades_length_dec";
    public const string Growth = "pleiades_growth";

    public static string Wiki(string wiki) => WikiPrefix + wiki;

    public static string Type(string type) => TypePrefix + type;
}
