using Confluent.Kafka;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// librdkafka's verdict on a client configuration, asked before the service starts: a client is built from it and
/// disposed at once. librdkafka checks each property's name, value and range and the combinations it refuses, which the
/// service otherwise met only when it built its client: an abort at host start, or a consuming loop restarting forever.
/// </summary>
/// <remarks>
/// The bootstrap servers are left out, so that nothing connects (they are checked as <c>HOST:PORT</c> with the settings),
/// and the client's log is dropped, so that nothing is printed: the check needs no broker and costs a few milliseconds.
/// </remarks>
public static class KafkaClientConfigCheck
{
    private const string BootstrapServers = "bootstrap.servers";
    private const string GroupId = "group.id";

    /// <summary>
    /// Why librdkafka refuses the configuration a service makes from the user's <paramref name="config"/> (read from
    /// <paramref name="section"/>), as one sentence naming the setting; null when it accepts it. The user's values are
    /// asked about first, before <paramref name="compose"/> adds the service's own: that code reads them as typed
    /// properties, which throw on a value that does not parse.
    /// </summary>
    public static string? Problem<TConfig>(TConfig config, string section, Action<TConfig>? compose = null)
        where TConfig : ClientConfig
    {
        var consumer = config is ConsumerConfig;
        var refusal = Refusal(config, consumer);
        if (refusal is null && compose is not null)
        {
            compose(config);
            refusal = Refusal(config, consumer);
        }

        if (refusal is null)
        {
            return null;
        }

        // librdkafka's message may name another key than the user's (queue.buffering.max.ms for linger.ms, its alias):
        // a property refused on its own is named as it was set. A combination is left to librdkafka's words.
        foreach (var property in config)
        {
            if (property.Key != BootstrapServers && Refusal([property], consumer) is { } alone)
            {
                return $"{section}:{property.Key}: {alone}";
            }
        }

        return $"{section}: {refusal}";
    }

    /// <summary>librdkafka's error for a client (a consumer when <paramref name="consumer"/>, else a producer) with <paramref name="config"/>, or null.</summary>
    private static string? Refusal(IEnumerable<KeyValuePair<string, string>> config, bool consumer)
    {
        var properties = config.Where(p => p.Key != BootstrapServers).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        try
        {
            if (consumer)
            {
                // A consumer without a group is refused; a missing group is the settings' own problem, reported with them.
                properties.TryAdd(GroupId, "pleiades-config-check");
                using var client = new ConsumerBuilder<Ignore, Ignore>(properties).SetLogHandler(DropLog).Build();
            }
            else
            {
                using var client = new ProducerBuilder<Null, Null>(properties).SetLogHandler(DropLog).Build();
            }

            return null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KafkaException or FormatException)
        {
            // ArgumentException: a value librdkafka refuses; InvalidOperationException: an unknown property, or a
            // combination refused when the client is created; FormatException: a .NET-only property (dotnet.*) that
            // does not parse. Some of librdkafka's messages end with a line break: the report is one line.
            return e.Message.Trim();
        }
    }

    private static void DropLog<TClient>(TClient client, LogMessage message)
    {
    }
}
