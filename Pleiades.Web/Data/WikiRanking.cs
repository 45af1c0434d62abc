namespace Pleiades.Web.Data;

/// <summary>A wiki's events on a day, with its project and language.</summary>
public sealed record WikiRanking(string Wiki, string Family, string Name, long Events, long BotEvents);
