using Pleiades.Counters;
using StackExchange.Redis;

namespace Pleiades.Aggregator.Counting;

/// <summary>
/// The Lua script that applies one <see cref="CounterBatch"/> and its <see cref="BatchPosition"/>s atomically
/// (docs/redis-keys.md), and the arguments that describe a batch to it. Every key is passed in KEYS (Garnet's
/// transaction mode locks exactly those); the operations are a flat list in ARGV so that one script serves
/// every batch whatever its shape.
/// </summary>
internal static class CounterScript
{
    /// <summary>Script result: counters and positions written.</summary>
    public const long Applied = 1;

    /// <summary>Script result: every position already at the batch's end.</summary>
    public const long AlreadyApplied = 0;

    /// <summary>Script result: a position moved by another reader.</summary>
    public const long Stale = -1;

    /// <summary>
    /// KEYS[1] is the positions hash. ARGV[1] = position count P, then P triples (field, from, next); the last ARGV is
    /// the operations, one MessagePack array of strings (<see cref="MessagePackStringArray"/>): code, key index, item
    /// count, [top-set size for 'z'], items, and so on to the end.
    /// h: HINCRBY field delta | z: ZINCRBY member delta, then trim to the top N | p: PFADD members |
    /// a: ZADD score member | x: EXPIREAT seconds | m: HSET field value when greater | s: HSET field value.
    /// </summary>
    public const string Text = """
        local unpack = table.unpack or unpack
        local pairCommands = { h = 'HINCRBY', a = 'ZADD', s = 'HSET' }
        local positions = KEYS[1]
        local count = tonumber(ARGV[1])
        local i = 2
        local done, stale = 0, 0
        for _ = 1, count do
          local stored = redis.call('HGET', positions, ARGV[i]) or '-1'
          if stored == ARGV[i + 2] then
            done = done + 1
          elseif stored ~= ARGV[i + 1] then
            stale = stale + 1
          end
          i = i + 3
        end
        if count > 0 and done == count then return 0 end
        if done > 0 or stale > 0 then return -1 end
        i = 2
        for _ = 1, count do
          redis.call('HSET', positions, ARGV[i], ARGV[i + 2])
          i = i + 3
        end
        local ops = cmsgpack.unpack(ARGV[i])
        local opc = #ops
        i = 1
        while i <= opc do
          local op = ops[i]
          local key = KEYS[tonumber(ops[i + 1])]
          local n = tonumber(ops[i + 2])
          i = i + 3
          local command = pairCommands[op]
          if command then
            for _ = 1, n do
              redis.call(command, key, ops[i], ops[i + 1])
              i = i + 2
            end
          elseif op == 'z' then
            local keep = tonumber(ops[i])
            i = i + 1
            for _ = 1, n do
              redis.call('ZINCRBY', key, ops[i + 1], ops[i])
              i = i + 2
            end
            redis.call('ZREMRANGEBYRANK', key, 0, -keep - 1)
          elseif op == 'p' then
            -- One PFADD per chunk of members rather than per member; the chunk bounds what unpack puts on Lua's stack.
            while n > 0 do
              local chunk = math.min(n, 500)
              redis.call('PFADD', key, unpack(ops, i, i + chunk - 1))
              i = i + chunk
              n = n - chunk
            end
          elseif op == 'x' then
            redis.call('EXPIREAT', key, ops[i])
            i = i + 1
          elseif op == 'm' then
            for _ = 1, n do
              local current = tonumber(redis.call('HGET', key, ops[i]) or '0')
              if tonumber(ops[i + 1]) > current then
                redis.call('HSET', key, ops[i], ops[i + 1])
              end
              i = i + 2
            end
          else
            return redis.error_reply('unknown operation ' .. tostring(op))
          end
        end
        return 1
        """;

    /// <summary>
    /// Describes <paramref name="batch"/> and <paramref name="positions"/> as the script's KEYS and ARGV; the
    /// operations are written into <paramref name="operations"/>, which the last argument refers to (so it must
    /// outlive the call).
    /// </summary>
    public static (RedisKey[] Keys, RedisValue[] Arguments) Build(
        string logId,
        CounterBatch batch,
        IReadOnlyCollection<BatchPosition> positions,
        long nowUnixMs,
        TimeSpan minuteRetention,
        MessagePackStringArray operations)
    {
        var arguments = new RedisValue[2 + (3 * positions.Count)];
        arguments[0] = positions.Count;
        var a = 1;
        foreach (var position in positions)
        {
            arguments[a++] = position.Field;
            arguments[a++] = position.From;
            arguments[a++] = position.Next;
        }

        var builder = new OperationWriter(RedisKeys.Positions(logId), operations);
        if (batch.CountedEvents > 0)
        {
            foreach (var day in batch.Days)
            {
                AddDay(builder, day, minuteRetention);
            }

            var days = builder.Begin("a", RedisKeys.Days);
            foreach (var day in batch.Days)
            {
                operations.Add(day.Day);
                operations.Add(day.Day);
            }

            builder.End(days, batch.Days.Count);
            var allTime = builder.Begin("h", RedisKeys.AllTimeCounters);
            var counters = batch.AllTimeCounters();
            foreach (var (name, value) in counters)
            {
                operations.Add(name);
                operations.Add(value);
            }

            builder.End(allTime, counters.Count);
            builder.Single("m", RedisKeys.Status, RedisKeys.LastEventField, batch.NewestEventUnixMs);
        }

        builder.Single("s", RedisKeys.Status, RedisKeys.LastBatchField, nowUnixMs);
        arguments[a] = operations.ToMemory();
        return (builder.Keys, arguments);
    }

    private static void AddDay(OperationWriter builder, DayDelta day, TimeSpan minuteRetention)
    {
        var d = day.Day;
        var operations = builder.Operations;

        var counters = builder.Begin("h", RedisKeys.Counters(d));
        var count = 0;
        foreach (var (name, value) in day.Counters())
        {
            operations.Add(name);
            operations.Add(value);
            count++;
        }

        builder.End(counters, count);

        var namespaces = builder.Begin("h", RedisKeys.Namespaces(d));
        foreach (var ((wiki, ns), value) in day.Namespaces)
        {
            operations.Add(wiki, RedisKeys.SeparatorText, ns.ToString(System.Globalization.CultureInfo.InvariantCulture));
            operations.Add(value);
        }

        builder.End(namespaces, day.Namespaces.Count);

        var hours = builder.Begin("h", RedisKeys.Hours(d));
        count = 0;
        for (var hour = 0; hour < day.Hours.Length; hour++)
        {
            if (day.Hours[hour] != 0)
            {
                operations.Add(hour, RedisKeys.HourDigits);
                operations.Add(day.Hours[hour]);
                count++;
            }
        }

        foreach (var ((hour, wiki), value) in day.WikiHours)
        {
            operations.Add(hour, RedisKeys.HourDigits, RedisKeys.SeparatorText, wiki);
            operations.Add(value);
        }

        builder.End(hours, count + day.WikiHours.Count);

        // A day's own minute series is at most 1,440 fields and is kept with the day; the per-wiki minutes (up to
        // 1,440 per wiki) live in their own key until the retention has passed after the end of the day.
        var minutes = builder.Begin("h", RedisKeys.Minutes(d));
        foreach (var (minute, value) in day.Minutes)
        {
            operations.Add(minute, RedisKeys.MinuteDigits);
            operations.Add(value);
        }

        builder.End(minutes, day.Minutes.Count);
        var wikiMinutesKey = RedisKeys.WikiMinutes(d);
        var wikiMinutes = builder.Begin("h", wikiMinutesKey);
        foreach (var ((minute, wiki), value) in day.WikiMinutes)
        {
            operations.Add(minute, RedisKeys.MinuteDigits, RedisKeys.SeparatorText, wiki);
            operations.Add(value);
        }

        builder.End(wikiMinutes, day.WikiMinutes.Count);
        var expire = builder.Begin("x", wikiMinutesKey);
        operations.Add(UnixDay.StartSeconds(d + 1) + (long)minuteRetention.TotalSeconds);
        builder.End(expire, 1);

        builder.TopSet(RedisKeys.TopPages(d), day.Pages);
        builder.TopSet(RedisKeys.TopEditors(d, bots: false), day.HumanEditors);
        builder.TopSet(RedisKeys.TopEditors(d, bots: true), day.BotEditors);

        var editors = builder.Begin("p", RedisKeys.Editors(d));
        foreach (var editor in day.Editors)
        {
            operations.Add(editor);
        }

        builder.End(editors, day.Editors.Count);
        var bots = builder.Begin("h", RedisKeys.Bots(d));
        foreach (var (wiki, value) in day.BotsByWiki)
        {
            operations.Add(wiki);
            operations.Add(value);
        }

        builder.End(bots, day.BotsByWiki.Count);
    }

    /// <summary>Writes operations (code, key index, item count, items) and collects their KEYS, each once.</summary>
    private sealed class OperationWriter
    {
        /// <summary>Item counts are written as this many digits, so the placeholder written before the items can be filled in after.</summary>
        private const int CountDigits = 10;

        private readonly List<RedisKey> _keys = [];
        private readonly Dictionary<string, int> _keyIndexes = new(StringComparer.Ordinal);

        public OperationWriter(string positionsKey, MessagePackStringArray operations)
        {
            Operations = operations;
            KeyIndex(positionsKey);
        }

        public MessagePackStringArray Operations { get; }

        public RedisKey[] Keys => [.. _keys];

        /// <summary>Starts an operation on <paramref name="key"/>; its items follow, then <see cref="End"/>.</summary>
        public OperationStart Begin(string code, string key)
        {
            var start = Operations.Next;
            Operations.Add(code);
            Operations.Add(KeyIndex(key));
            var countField = Operations.Next;
            Operations.Add(0, CountDigits);
            return new(start, countField);
        }

        /// <summary>Writes the item count, or drops an operation that has no items.</summary>
        public void End(OperationStart operation, int count)
        {
            if (count == 0)
            {
                Operations.Truncate(operation.Start);
                return;
            }

            Operations.Overwrite(operation.CountField, count, CountDigits);
        }

        /// <summary>An operation with one (field, value) pair.</summary>
        public void Single(string code, string key, string field, long value)
        {
            var start = Begin(code, key);
            Operations.Add(field);
            Operations.Add(value);
            End(start, 1);
        }

        public void TopSet(string key, Dictionary<(string Wiki, string Name), long> members)
        {
            var start = Begin("z", key);
            Operations.Add(RedisKeys.TopSetSize);
            foreach (var ((wiki, name), delta) in members)
            {
                Operations.Add(wiki, RedisKeys.SeparatorText, name);
                Operations.Add(delta);
            }

            End(start, members.Count);
        }

        private int KeyIndex(string key)
        {
            if (!_keyIndexes.TryGetValue(key, out var index))
            {
                _keys.Add(key);
                index = _keys.Count; // Lua arrays start at 1.
                _keyIndexes.Add(key, index);
            }

            return index;
        }
    }

    /// <summary>Where an operation starts in the array, and where its item count is.</summary>
    private readonly record struct OperationStart(MessagePackStringArray.Mark Start, MessagePackStringArray.Mark CountField);
}
