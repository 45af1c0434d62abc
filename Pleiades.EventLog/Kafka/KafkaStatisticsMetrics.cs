using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace Pleiades.EventLog.Kafka;

/// <summary>
/// Metrics from librdkafka's statistics (the JSON every client emits each <c>statistics.interval.ms</c>):
/// the latest totals of each client are kept and reported when the metrics are collected, so the
/// client's poll thread only parses a small document once a second.
/// </summary>
public sealed class KafkaStatisticsMetrics
{
    /// <summary>The meter name, registered with OpenTelemetry by the Kafka client integration.</summary>
    public const string MeterName = "Pleiades.Kafka";

    private readonly ConcurrentDictionary<string, ClientStatistics> _clients = new();

    public KafkaStatisticsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("messaging.kafka.network.tx", () => Measure(s => s.Requests), description: "Requests sent to Kafka brokers.");
        meter.CreateObservableCounter("messaging.kafka.network.transmitted", () => Measure(s => s.BytesSent), unit: "By", description: "Bytes sent to Kafka brokers.");
        meter.CreateObservableCounter("messaging.kafka.network.rx", () => Measure(s => s.Responses), description: "Responses received from Kafka brokers.");
        meter.CreateObservableCounter("messaging.kafka.network.received", () => Measure(s => s.BytesReceived), unit: "By", description: "Bytes received from Kafka brokers.");
        meter.CreateObservableCounter("messaging.publish.messages", () => Measure(s => s.MessagesSent), description: "Messages sent to Kafka brokers.");
        meter.CreateObservableCounter("messaging.receive.messages", () => Measure(s => s.MessagesReceived), description: "Messages received from Kafka brokers.");
        meter.CreateObservableGauge("messaging.kafka.producer.queue.message_count", () => Measure(s => s.QueuedMessages), description: "Messages waiting in the producer's queue.");
        meter.CreateObservableGauge("messaging.kafka.producer.queue.size", () => Measure(s => s.QueuedBytes), unit: "By", description: "Bytes waiting in the producer's queue.");
        meter.CreateObservableGauge("messaging.kafka.consumer.lag", () => Measure(s => s.ConsumerLag), description: "Messages the consumer is behind the end of its assigned partitions.");
    }

    /// <summary>Takes one statistics document; called from the client's statistics handler.</summary>
    public void Record(string json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var statistics = ClientStatistics.From(document.RootElement);
            _clients[statistics.Name] = statistics;
        }
        catch (JsonException)
        {
            // A statistics document librdkafka cut short is not worth failing the client for.
        }
    }

    private IEnumerable<Measurement<long>> Measure(Func<ClientStatistics, long> value) =>
        _clients.Values.Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>("messaging.client_id", s.Name)));

    private sealed record ClientStatistics(
        string Name, long Requests, long BytesSent, long Responses, long BytesReceived,
        long MessagesSent, long MessagesReceived, long QueuedMessages, long QueuedBytes, long ConsumerLag)
    {
        public static ClientStatistics From(JsonElement root)
        {
            long Number(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

            return new ClientStatistics(
                root.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "",
                Number("tx"), Number("tx_bytes"), Number("rx"), Number("rx_bytes"),
                Number("txmsgs"), Number("rxmsgs"), Number("msg_cnt"), Number("msg_size"),
                ConsumerLagOf(root));
        }

        private static long ConsumerLagOf(JsonElement root)
        {
            long lag = 0;
            if (!root.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            foreach (var topic in topics.EnumerateObject())
            {
                if (!topic.Value.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var partition in partitions.EnumerateObject())
                {
                    // -1 is librdkafka's "unknown" (partition not assigned, or no position yet).
                    if (partition.Value.TryGetProperty("consumer_lag", out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt64() > 0)
                    {
                        lag += value.GetInt64();
                    }
                }
            }

            return lag;
        }
    }
}
