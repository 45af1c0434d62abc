namespace Pleiades.Web.Data;

/// <summary>
/// The Lua scripts that read one view in one Redis call, so that a view is a consistent snapshot and costs
/// one round-trip. They run on Redis (Lua 5.1) and Garnet (Lua 5.4, hence the <c>unpack</c> shim).
/// </summary>
internal static class CounterScripts
{
    // Fields are built as Pleiades.Counters.RedisKeys builds them: hours '%02d', minutes '%04d', '{field}|{wiki}'.

    /// <summary>
    /// KEYS: counters, hours, minutes, top pages, top human editors, top bot editors, editors (HLL), bots, status, days.
    /// ARGV: length of the top lists, then the status fields (newest event, last batch, losses, lost events, lost bytes,
    /// last loss time, last loss). Returns one array per key, in that order.
    /// </summary>
    public const string DayView = """
        local unpack = unpack or table.unpack
        local n = tonumber(ARGV[1])
        local hours = {}
        for h = 0, 23 do hours[#hours + 1] = string.format('%02d', h) end
        local minutes = {}
        for m = 0, 1439 do minutes[#minutes + 1] = string.format('%04d', m) end
        return {
          redis.call('HGETALL', KEYS[1]),
          redis.call('HMGET', KEYS[2], unpack(hours)),
          redis.call('HMGET', KEYS[3], unpack(minutes)),
          redis.call('ZREVRANGE', KEYS[4], 0, n - 1, 'WITHSCORES'),
          redis.call('ZREVRANGE', KEYS[5], 0, n - 1, 'WITHSCORES'),
          redis.call('ZREVRANGE', KEYS[6], 0, n - 1, 'WITHSCORES'),
          redis.call('PFCOUNT', KEYS[7]),
          redis.call('HGETALL', KEYS[8]),
          redis.call('HMGET', KEYS[9], unpack(ARGV, 2)),
          redis.call('ZRANGE', KEYS[10], 0, -1)
        }
        """;

    /// <summary>
    /// KEYS: the all-time counters, days. Returns the counters (HGETALL), the first day (at most one member) and the
    /// number of days with data.
    /// </summary>
    public const string AllTimeCounters = """
        return {
          redis.call('HGETALL', KEYS[1]),
          redis.call('ZRANGE', KEYS[2], 0, 0),
          redis.call('ZCARD', KEYS[2])
        }
        """;

    /// <summary>
    /// KEYS: counters, bots, hours, the wikis' minutes, namespaces, top pages. ARGV: wiki, length of the top list, the wiki's counter name.
    /// Filters the namespaces hash and the top pages by the wiki's prefix on the server, so only that wiki's part travels.
    /// </summary>
    public const string WikiDayCounters = """
        local unpack = unpack or table.unpack
        local wiki = ARGV[1]
        local n = tonumber(ARGV[2])
        local prefix = wiki .. '|'
        local hours = {}
        for h = 0, 23 do hours[#hours + 1] = string.format('%02d|', h) .. wiki end
        local minutes = {}
        for m = 0, 1439 do minutes[#minutes + 1] = string.format('%04d|', m) .. wiki end
        local namespaces = {}
        local all = redis.call('HGETALL', KEYS[5])
        for i = 1, #all, 2 do
          if string.sub(all[i], 1, #prefix) == prefix then
            namespaces[#namespaces + 1] = string.sub(all[i], #prefix + 1)
            namespaces[#namespaces + 1] = all[i + 1]
          end
        end
        local pages = {}
        local top = redis.call('ZREVRANGE', KEYS[6], 0, -1, 'WITHSCORES')
        for i = 1, #top, 2 do
          if #pages >= 2 * n then break end
          if string.sub(top[i], 1, #prefix) == prefix then
            pages[#pages + 1] = top[i]
            pages[#pages + 1] = top[i + 1]
          end
        end
        return {
          redis.call('HGET', KEYS[1], ARGV[3]) or '0',
          redis.call('HGET', KEYS[2], wiki) or '0',
          redis.call('HMGET', KEYS[3], unpack(hours)),
          redis.call('HMGET', KEYS[4], unpack(minutes)),
          namespaces,
          pages
        }
        """;
}
