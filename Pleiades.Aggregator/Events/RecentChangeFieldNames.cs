namespace Pleiades.Aggregator.Events;

/// <summary>The JSON name of each optional field the counters read: in the parser's problem reports and the metrics' labels.</summary>
public static class RecentChangeFieldNames
{
    /// <summary>Every field with its name, in flag order.</summary>
    public static IReadOnlyList<(RecentChangeFields Field, string Name)> All { get; } =
        [.. Enum.GetValues<RecentChangeFields>().Where(field => field != RecentChangeFields.None).Select(field => (field, Of(field)))];

    /// <summary>The JSON name (dotted below the top level) of the single field <paramref name="field"/>.</summary>
    public static string Of(RecentChangeFields field) => field switch
    {
        RecentChangeFields.Meta => "meta",
        RecentChangeFields.Wiki => "wiki",
        RecentChangeFields.Type => "type",
        RecentChangeFields.Bot => "bot",
        RecentChangeFields.Minor => "minor",
        RecentChangeFields.Length => "length",
        RecentChangeFields.LengthOld => "length.old",
        RecentChangeFields.LengthNew => "length.new",
        RecentChangeFields.Namespace => "namespace",
        RecentChangeFields.Title => "title",
        RecentChangeFields.User => "user",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a single field"),
    };
}
