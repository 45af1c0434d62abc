namespace Pleiades.Ingest;

/// <summary>Settings of the Ingest, bound from the <c>Ingest</c> configuration section (flags write into it too).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";
    public const string DefaultStreamUrl = "https://stream.wikimedia.org/v2/stream/recentchange";

    /// <summary>The EventStreams endpoint; the AppHost's <c>--stream-url</c> sets it, so the app can run against a local replay.</summary>
    public Uri StreamUrl { get; set; } = new(DefaultStreamUrl);

    /// <summary>Resume from the last event that reached the log.</summary>
    public bool Resume { get; set; } = true;

    /// <summary>Backfill start (ms since the epoch or ISO-8601) used when there is nothing to resume from.</summary>
    public string? Since { get; set; }

    /// <summary>The User-Agent sent with every request; WMF refuses generic ones with 403.</summary>
    public string UserAgent { get; set; } = "Pleiades/1.0 (https://github.com/pleiades-dotnet/pleiades; pleiades@example.org) .NET";
}
