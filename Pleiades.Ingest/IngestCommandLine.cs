using Pleiades.CommandLine;
using Pleiades.EventLog;
using Pleiades.Sse;

namespace Pleiades.Ingest;

/// <summary>The Ingest's flags: the original's plus the stream, backfill and User-Agent settings.</summary>
internal static class IngestCommandLine
{
    public static ServiceCommandLine Create() =>
        new ServiceCommandLine(
                "pleiades-ingest",
                "Relays Wikimedia's recentchange EventStreams feed, event by event and untouched, into the event log (Kafka or the file log).",
                [
                    .. EventLogFlags.All,
                    new Flag("resume", IngestOptions.Section + ":Resume", "resume from the last event that reached the log (-r=false to disable)", IsSwitch: true, Default: "true", ShortName: "r"),
                    new Flag("stream.url", IngestOptions.Section + ":StreamUrl", "EventStreams URL to read", Default: RecentChangeStream.Url),
                    new Flag("since", IngestOptions.Section + ":Since", "backfill from TIME (ms since the epoch or ISO-8601) when there is nothing to resume from"),
                    new Flag("user-agent", IngestOptions.Section + ":UserAgent", "User-Agent sent to EventStreams (WMF requires contact details)"),
                ])
            .WithCheck(EventLogFlags.CheckOneLog);
}
