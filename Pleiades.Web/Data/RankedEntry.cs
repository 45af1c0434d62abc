namespace Pleiades.Web.Data;

/// <summary>One entry of a top list: a page or an editor on a wiki, and how many events it had.</summary>
public sealed record RankedEntry(string Wiki, string Name, long Events);
