using System.Diagnostics;
using Pleiades.Aggregator.Telemetry;
using StackExchange.Redis;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// Sends a <see cref="PendingBatch"/> to Redis, retrying with backoff while Redis is unreachable. Retrying is
/// always safe: the apply script recognises a batch it already applied. What it applied feeds the progress line.
/// </summary>
public sealed class BatchCommitter(RedisCounterStore store, AggregatorMetrics metrics, ProgressReporter progress, ILogger<BatchCommitter> logger, TimeProvider time)
{

    public RedisCounterStore Store => store;

    /// <summary>
    /// Applies <paramref name="batch"/> (retrying while Redis fails) and returns what happened; the batch itself is
    /// left as it was. After <see cref="BatchApplyResult.Stale"/> the caller must go back to the stored positions.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends the retries.
    /// </summary>
    public async Task<BatchApplyResult> CommitAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Records == 0)
        {
            return BatchApplyResult.Applied;
        }

        // The batch's span: a child of the publish span its first traced record came from, linked to the others.
        using var activity = AggregatorTracing.StartProcess(batch.Trace, batch.TraceParent, batch.TraceLinks, batch.Records);
        var failures = 0;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await store.ApplyAsync(batch.LogId, batch.Counters, batch.Positions, time.GetUtcNow().ToUnixTimeMilliseconds())
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                metrics.BatchApplied(batch.Records, Stopwatch.GetElapsedTime(started).TotalSeconds, result);
                if (result != BatchApplyResult.Stale)
                {
                    metrics.BatchProcessed(batch.LogId, batch.Age);
                }

                if (failures > 0)
                {
                    logger.RedisBack(failures, result);
                }

                activity?.SetTag("pleiades.batch.result", result.ToString());

                Finish(batch, result, appliedByLostReply: failures > 0);
                return result;
            }
            catch (Exception e) when (e is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                var delay = RedisCounterStore.RetryBackoff.Next(failures);
                failures++;
                metrics.RedisRetry();
                if (failures == 1 || failures % 20 == 0)
                {
                    logger.RedisApplyFailed(e, batch.Records, failures, delay);
                }

                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // appliedByLostReply: the batch failed here before (a timeout, a dropped connection), so a retry that finds it
    // already applied found this process's own earlier call applied, whose reply was lost: its events were counted here.
    private void Finish(PendingBatch batch, BatchApplyResult result, bool appliedByLostReply)
    {
        if (result == BatchApplyResult.Stale)
        {
            logger.StaleBatch(batch.Records);
            return;
        }

        if (result == BatchApplyResult.Applied || (result == BatchApplyResult.AlreadyApplied && appliedByLostReply))
        {
            metrics.EventsCounted(batch.Counters.CountedEvents);
            progress.Applied(batch.Counters.CountedEvents, batch.Counters.NewestEventUnixMs);
        }

        progress.LogWhenDue(batch.LogId);
    }
}
