using System.Globalization;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counters;
using Pleiades.Retry;
using StackExchange.Redis;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// Applies batches to Redis, one script call per batch, and reads back the log positions they stored
/// (docs/redis-keys.md). A batch is applied at most once whatever the retries: its positions guard it.
/// </summary>
public sealed class RedisCounterStore(IConnectionMultiplexer redis, TimeSpan minuteRetention)
{
    /// <summary>How long per-minute rates are kept after the end of their day, unless configured.</summary>
    public static readonly TimeSpan DefaultMinuteRetention = TimeSpan.FromDays(3);

    /// <summary>How the Aggregator paces retries of a Redis call that failed (a batch, a position read, a loss record).</summary>
    public static readonly ExponentialBackoff RetryBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10));

    public RedisCounterStore(IConnectionMultiplexer redis)
        : this(redis, DefaultMinuteRetention)
    {
    }

    /// <summary>The connection the store writes with (the Aggregator records losses of events on it too).</summary>
    public IConnectionMultiplexer Connection => redis;

    /// <summary>The stored next position of every partition (or <c>file</c>) of the log <paramref name="logId"/>.</summary>
    public async Task<Dictionary<string, long>> ReadPositionsAsync(string logId)
    {
        var entries = await redis.GetDatabase().HashGetAllAsync(RedisKeys.Positions(logId)).ConfigureAwait(false);
        var positions = new Dictionary<string, long>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (long.TryParse(entry.Value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var next))
            {
                positions[entry.Name.ToString()] = next;
            }
        }

        return positions;
    }

    /// <summary>
    /// Writes <paramref name="batch"/>'s counters and <paramref name="positions"/> in one atomic step, unless the
    /// positions show the batch was applied already or is stale. Throws when Redis cannot be reached; calling
    /// again with the same arguments is then always safe.
    /// </summary>
    public async Task<BatchApplyResult> ApplyAsync(
        string logId,
        CounterBatch batch,
        IReadOnlyCollection<BatchPosition> positions,
        long nowUnixMs)
    {
        var operations = new MessagePackStringArray();
        var (keys, arguments) = CounterScript.Build(logId, batch, positions, nowUnixMs, minuteRetention, operations);
        using var activity = AggregatorTracing.StartCountersWrite(batch.CountedEvents, keys.Length);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(CounterScript.Text, keys, arguments).ConfigureAwait(false);
        // Returned to the pool only once Redis has answered: after a failure (a timeout, a lost connection) the
        // client may still hold the command and write it later, so its buffer is left to the garbage collector.
        operations.Dispose();
        return (long)result switch
        {
            CounterScript.Applied => BatchApplyResult.Applied,
            CounterScript.AlreadyApplied => BatchApplyResult.AlreadyApplied,
            CounterScript.Stale => BatchApplyResult.Stale,
            var other => throw new InvalidOperationException($"The counter script answered {other}."),
        };
    }
}
