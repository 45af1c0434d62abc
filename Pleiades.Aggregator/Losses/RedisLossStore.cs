using System.Globalization;
using Pleiades.Counters;
using StackExchange.Redis;

namespace Pleiades.Aggregator.Losses;

/// <summary>
/// Records gaps in the event log in Redis (<c>pleiades:losses</c>, and totals in <c>pleiades:status</c>,
/// docs/redis-keys.md) so that the site shows them. One script call per gap, idempotent: a gap found again, by
/// another Aggregator or after a restart, adds only what it reaches beyond the recorded one.
/// </summary>
public sealed class RedisLossStore(IConnectionMultiplexer redis)
{
    /// <summary>
    /// KEYS: losses, status. ARGV: field, to, lost events (-1 when unknown), lost bytes (-1 when unknown), now (Unix ms),
    /// description, then the status fields: losses, lost events, lost bytes, last loss time, last loss. Returns the events newly recorded as lost (0 for a gap already recorded whole, or when unknown).
    /// </summary>
    private const string Script = """
        local previous = redis.call('HGET', KEYS[1], ARGV[1])
        local to = tonumber(ARGV[2])
        if previous and tonumber(previous) >= to then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        local events = tonumber(ARGV[3])
        local bytes = tonumber(ARGV[4])
        if previous then
          -- The same gap, found later and wider: only the part beyond what was recorded is new.
          if events >= 0 then events = to - tonumber(previous) end
          bytes = -1
        else
          redis.call('HINCRBY', KEYS[2], ARGV[7], 1)
        end
        if events > 0 then redis.call('HINCRBY', KEYS[2], ARGV[8], events) end
        if bytes > 0 then redis.call('HINCRBY', KEYS[2], ARGV[9], bytes) end
        redis.call('HSET', KEYS[2], ARGV[10], ARGV[5], ARGV[11], ARGV[6])
        if events > 0 then return events end
        return 0
        """;

    /// <summary>Records <paramref name="gap"/>; returns the events newly counted as lost. Throws when Redis cannot be reached.</summary>
    public async Task<long> RecordAsync(LogGap gap, long nowUnixMs)
    {
        RedisKey[] keys = [RedisKeys.Losses, RedisKeys.Status];
        RedisValue[] arguments =
        [
            string.Create(CultureInfo.InvariantCulture, $"{gap.LogId}{RedisKeys.SeparatorText}{gap.Partition}{RedisKeys.SeparatorText}{gap.From}"),
            gap.To,
            gap.LostEvents ?? -1,
            gap.LostBytes ?? -1,
            nowUnixMs,
            gap.Description,
            RedisKeys.LossesField,
            RedisKeys.LostEventsField,
            RedisKeys.LostBytesField,
            RedisKeys.LastLossUnixMsField,
            RedisKeys.LastLossField,
        ];
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, arguments).ConfigureAwait(false);
        return (long)result;
    }
}
