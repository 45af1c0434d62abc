namespace Pleiades.Web.Data;

/// <summary>One counter as the original REST API showed it.</summary>
public sealed record Counter(string Name, string Description, long Value);
