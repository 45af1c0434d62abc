using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.DeadLetters;

/// <summary>
/// Produces malformed records, unchanged, to a Kafka topic (default <c>pleiades-events-deadletter</c>), with
/// headers saying why and where from. Asynchronous: a failed delivery is counted and logged, never retried inline.
/// </summary>
public sealed class KafkaDeadLetterSink(IProducer<Null, byte[]> producer, string topic, AggregatorMetrics metrics, ILogger logger) : IDeadLetterSink
{
    public const string ReasonHeader = "pleiades-reason";
    public const string FieldHeader = "pleiades-field";
    public const string SourceHeader = "pleiades-source";

    private int _failuresLogged;

    public void Send(DeadLetter letter)
    {
        var headers = new Headers
        {
            { ReasonHeader, Encoding.UTF8.GetBytes(letter.Reason.ToString()) },
            { SourceHeader, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{letter.LogId}/{letter.Partition}/{letter.Position}")) },
        };
        if (letter.Field is not null)
        {
            headers.Add(FieldHeader, Encoding.UTF8.GetBytes(letter.Field));
        }

        try
        {
            producer.Produce(topic, new Message<Null, byte[]> { Value = letter.Payload, Headers = headers }, OnDelivered);
        }
        catch (KafkaException e)
        {
            Failed(e.Error.Reason);
        }
    }

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void Dispose() => producer.Dispose();

    private void OnDelivered(DeliveryReport<Null, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Failed(report.Error.Reason);
        }
        else
        {
            metrics.DeadLettered();
        }
    }

    private void Failed(string reason)
    {
        metrics.DeadLetterFailed();
        // A dead broker would fail every letter: log the first few only; the metric counts them all.
        if (Interlocked.Increment(ref _failuresLogged) <= 5)
        {
            logger.DeadLetterFailed(topic, reason);
        }
    }
}
