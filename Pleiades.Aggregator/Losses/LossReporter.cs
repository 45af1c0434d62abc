using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Losses;

/// <summary>
/// Makes a gap in the event log visible beyond the Aggregator's own Error line (which its source writes, saying
/// why): the loss metrics, and the site's status in Redis (<see cref="RedisLossStore"/>), which the Web's
/// <c>/api/status</c> and dashboard show. Retries while Redis is unreachable: counting cannot go on without it anyway.
/// </summary>
public sealed class LossReporter(RedisLossStore store, AggregatorMetrics metrics, ILogger logger, TimeProvider time)
{
    public const string FileSource = "file";
    public const string KafkaSource = "kafka";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Records <paramref name="gap"/> in the metrics and in Redis; returns once Redis has it (or on cancellation).</summary>
    public async Task ReportAsync(LogGap gap, string source, CancellationToken cancellationToken)
    {
        metrics.LogGap(source);
        for (var failures = 0; ; failures++)
        {
            try
            {
                var newlyLost = await store.RecordAsync(gap, time.GetUtcNow().ToUnixTimeMilliseconds()).WaitAsync(AttemptTimeout, cancellationToken);
                // Only what no other reader recorded before: the metric summed over instances is the number lost.
                metrics.EventsLost(source, newlyLost);
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                var delay = RedisCounterStore.RetryBackoff.Next(failures);
                logger.LossNotRecorded(e.Message, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }
}
