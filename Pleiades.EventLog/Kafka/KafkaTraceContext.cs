using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// Carries W3C trace context in Kafka message headers (as eShop's event bus does over RabbitMQ), so a
/// trace follows an event from the Ingest through the topic into the Aggregator.
/// </summary>
public static class KafkaTraceContext
{
    /// <summary>The activity source of Kafka produce and consume spans.</summary>
    public const string ActivitySourceName = "Pleiades.Kafka";

    public static ActivitySource Source { get; } = new(ActivitySourceName);

    /// <summary>Writes <paramref name="activity"/>'s context (or the current one) into <paramref name="headers"/>.</summary>
    public static void Inject(Headers headers, Activity? activity = null)
    {
        foreach (var header in ContextHeaders(activity))
        {
            headers.Remove(header.Key);
            headers.Add(header);
        }
    }

    /// <summary>
    /// The headers that carry <paramref name="activity"/>'s context (or the current one); none without an activity.
    /// Headers are immutable: a batch of messages under one span shares them rather than formatting them per message.
    /// </summary>
    public static IReadOnlyList<Header> ContextHeaders(Activity? activity = null)
    {
        activity ??= Activity.Current;
        if (activity is null)
        {
            return [];
        }

        var headers = new List<Header>(2);
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            if (carrier is List<Header> list && value is not null)
            {
                list.RemoveAll(h => h.Key == name);
                list.Add(new Header(name, Encoding.UTF8.GetBytes(value)));
            }
        });
        return headers;
    }

    /// <summary>Reads the trace context a producer wrote into <paramref name="headers"/>, if any.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        if (headers is null)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = carrier is Headers h && h.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }, out var traceParent, out var traceState);

        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    /// <summary>Starts a producer span for <paramref name="topic"/> and writes its context into <paramref name="headers"/>.</summary>
    public static Activity? StartProduce(string topic, Headers headers)
    {
        var activity = Source.StartActivity($"{topic} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", topic);
        Inject(headers, activity);
        return activity;
    }

    /// <summary>Starts a consumer span whose parent is the producer's span carried in <paramref name="headers"/>.</summary>
    public static Activity? StartConsume(string topic, Headers? headers)
    {
        var activity = Source.StartActivity($"{topic} process", ActivityKind.Consumer, Extract(headers));
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", topic);
        return activity;
    }
}
