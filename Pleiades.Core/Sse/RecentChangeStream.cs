namespace Pleiades.Sse;

/// <summary>Wikimedia's live feed of every edit to every wiki, which the Ingest reads unless told otherwise.</summary>
public static class RecentChangeStream
{
    public const string Url = "https://stream.wikimedia.org/v2/stream/recentchange";
}
