using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counters;
using Pleiades.EventLog.Kafka;
using Pleiades.Retry;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>The identity of the log a consumer reads: the cluster id its brokers report, and the topic.</summary>
internal static class KafkaClusterLogId
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly ExponentialBackoff Backoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    /// <summary>Asks the brokers (retrying until they answer) for <c>kafka:{clusterId}:{topic}</c>; null when stopped first.</summary>
    public static string? Resolve(IConsumer<Ignore, byte[]> consumer, KafkaSourceSettings settings, KafkaConnectionLog connection, ILogger logger, CancellationToken stopping)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        for (var failures = 0; !stopping.IsCancellationRequested; failures++)
        {
            var delay = Backoff.Next(failures);
            try
            {
                var cluster = admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = RequestTimeout })
                    .WaitAsync(stopping).GetAwaiter().GetResult();
                if (string.IsNullOrEmpty(cluster.ClusterId))
                {
                    throw new KafkaException(new Error(ErrorCode.Local_Fail, "the brokers reported no cluster id"));
                }

                connection.Reachable();
                return RedisKeys.KafkaLogId(cluster.ClusterId, settings.Topic);
            }
            catch (KafkaException e) when (connection.IsDown)
            {
                // Already said: the broker is unreachable.
                logger.LogDebug("Kafka did not describe its cluster ({Reason}); retrying in {Delay}.", e.Error.Reason, delay);
            }
            catch (KafkaException e)
            {
                logger.NoClusterId(settings.BootstrapServers, e.Error.Reason, delay);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            stopping.WaitHandle.WaitOne(delay);
        }

        return null;
    }
}
