using Pleiades.Aggregator.Telemetry;
using StackExchange.Redis;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// Reads where a log's counting stands (the positions its last applied batch stored in Redis), retrying while Redis
/// is unreachable: a source cannot read on without knowing where it is.
/// </summary>
public sealed class StoredPositionReader(RedisCounterStore store, ILogger logger, TimeProvider time)
{

    /// <summary>The stored positions of <paramref name="logId"/>; throws <see cref="OperationCanceledException"/> only on cancellation.</summary>
    public async Task<Dictionary<string, long>> ReadAsync(string logId, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                return await store.ReadPositionsAsync(logId).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                var delay = RedisCounterStore.RetryBackoff.Next(failures);
                logger.PositionsUnreadable(e.Message, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Goes back to the stored positions of <paramref name="pipeline"/>'s log (after a stale or dropped batch, or on
    /// start): whatever is in flight settles first, so the positions read include it; what is being filled is dropped.
    /// </summary>
    public async Task<Dictionary<string, long>> ReadAfterInFlightAsync(BatchPipeline pipeline, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.WaitAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Its retries were given up; Redis says where things stand.
        }

        pipeline.DiscardCurrent();
        return await ReadAsync(pipeline.LogId, cancellationToken).ConfigureAwait(false);
    }
}
