namespace Pleiades.Ingest.Telemetry;

/// <summary>The Ingest's log lines (source-generated: no formatting cost when the level is off).</summary>
internal static partial class IngestLog
{
    [LoggerMessage(LogLevel.Information, "Connecting to {Url} ({Resume})")]
    public static partial void Connecting(ILogger logger, Uri url, string resume);

    [LoggerMessage(LogLevel.Warning, "Reconnecting in {DelayMs} ms after {Reason}: {Detail}")]
    public static partial void Reconnecting(ILogger logger, long delayMs, string reason, string detail);

    [LoggerMessage(LogLevel.Debug, "Connecting to {Url} ({Resume}) again")]
    public static partial void ConnectingAgain(ILogger logger, Uri url, string resume);

    [LoggerMessage(LogLevel.Debug, "Reconnecting in {DelayMs} ms after {Reason} again: {Detail}")]
    public static partial void ReconnectingAgain(ILogger logger, long delayMs, string reason, string detail);

    [LoggerMessage(LogLevel.Information, "The stream has no new events ({Reason}: {Detail}); reconnecting in {DelayMs} ms and on, quietly until events arrive")]
    public static partial void StreamQuiet(ILogger logger, string reason, string detail, long delayMs);

    [LoggerMessage(LogLevel.Information, "The stream ended after {Events} events ({Reason}); reconnecting in {DelayMs} ms")]
    public static partial void StreamEnded(ILogger logger, long events, string reason, long delayMs);

    [LoggerMessage(LogLevel.Information, "Events arrive again, after {Reconnects} reconnects ({Reason})")]
    public static partial void EventsAgain(ILogger logger, long reconnects, string reason);

    [LoggerMessage(LogLevel.Error, "EventStreams refused the User-Agent '{UserAgent}' (403): set --user-agent to a descriptive agent with contact details (https://meta.wikimedia.org/wiki/User-Agent_policy). {Detail}")]
    public static partial void UserAgentRefused(ILogger logger, string userAgent, string detail);

    [LoggerMessage(LogLevel.Warning, "EventStreams sent an error event: {Data}")]
    public static partial void ServerErrorEvent(ILogger logger, string data);

    [LoggerMessage(LogLevel.Information, "Resuming after the last event recorded in {Source} (Last-Event-ID {LastEventId})")]
    public static partial void Resuming(ILogger logger, string source, string lastEventId);

    [LoggerMessage(LogLevel.Information, "Not resuming: {Why}")]
    public static partial void NotResuming(ILogger logger, string why);

    [LoggerMessage(LogLevel.Information, "Relayed {Published} events ({Rate:0} events/s), last event at {LastEvent}, {Lag}, buffered {Buffered}, {Duplicates} duplicates dropped, {Reconnects} reconnects")]
    public static partial void Progress(ILogger logger, long published, double rate, string lastEvent, string lag, int buffered, long duplicates, long reconnects);

    [LoggerMessage(LogLevel.Information, "Retention deleted segment {Segment} of the file log in {Directory} ({Bytes} bytes, newest record {NewestRecord:O}): {Why}")]
    public static partial void SegmentDeleted(ILogger logger, int segment, string directory, long bytes, DateTimeOffset newestRecord, string why);

    [LoggerMessage(LogLevel.Warning, "Retention could not delete old segments of the file log in {Directory}; trying again at the next check")]
    public static partial void RetentionFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(LogLevel.Warning, "Publishing {Count} events to the {Log} log failed; retrying in {DelayMs} ms")]
    public static partial void PublishFailed(ILogger logger, Exception exception, int count, string log, long delayMs);

    [LoggerMessage(LogLevel.Warning, "Opening the {Log} log failed; retrying in {DelayMs} ms")]
    public static partial void OpenFailed(ILogger logger, Exception exception, string log, long delayMs);

    [LoggerMessage(LogLevel.Warning, "Shutting down with {Count} events not yet in the {Log} log; they are read again from the stream after the restart")]
    public static partial void AbandonedAtShutdown(ILogger logger, int count, string log);
}
