using System.Diagnostics;

namespace Pleiades.Aggregator.Telemetry;

/// <summary>
/// The Aggregator's spans, on the activity source named after the service (which the service defaults trace): one
/// Consumer span per batch applied ("{source} process"), continuing the trace of the Ingest's publish span that the
/// batch's first record carried, linked to the other traces the batch's records carried; one Client span per Redis
/// write of the batch ("counters write") under it.
/// </summary>
public static class AggregatorTracing
{
    public const string SourceName = "Pleiades.Aggregator";

    public const string CountersWriteName = "counters write";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// Starts the span of applying a batch read from <paramref name="source"/>: a child of <paramref name="parent"/>
    /// (a remote context from the batch's first record that carried one), else the root of a new trace.
    /// </summary>
    public static Activity? StartProcess(BatchTraceSource source, ActivityContext parent, IEnumerable<ActivityLink>? links, int records)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        if (parent == default)
        {
            // No context came with the batch: a new trace, not a child of whatever the caller's thread had current.
            Activity.Current = null;
        }

        var activity = Source.StartActivity(source.SpanName, ActivityKind.Consumer, parent, tags: null, links);
        if (activity is { IsAllDataRequested: true })
        {
            if (source.MessagingSystem is { } system)
            {
                activity.SetTag("messaging.system", system);
            }

            activity.SetTag("messaging.destination.name", source.Destination);
            activity.SetTag("messaging.batch.message_count", records);
        }

        return activity;
    }

    /// <summary>Starts the span of one script call that writes <paramref name="events"/> counted events to <paramref name="keys"/> Redis keys.</summary>
    public static Activity? StartCountersWrite(int events, int keys)
    {
        var activity = Source.StartActivity(CountersWriteName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system", "redis");
            activity.SetTag("db.operation", "EVALSHA");
            activity.SetTag("events", events);
            activity.SetTag("keys", keys);
        }

        return activity;
    }
}
