using StackExchange.Redis;

namespace Pleiades.Counting;

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
    /// KEYS[1] is the positions hash. ARGV[1] = position count P, then P triples (field, from, next); then
    /// operations until the end: code, key index, item count, [top-set size for 'z'], items.
    /// h: HINCRBY field delta | z: ZINCRBY member delta, then trim to the top N | p: PFADD member |
    /// a: ZADD score member | x: EXPIREAT seconds | m: HSET field value when greater | s: HSET field value.
    /// </summary>
    public const string Text = """
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
        local argc = #ARGV
        while i <= argc do
          local op = ARGV[i]
          local key = KEYS[tonumber(ARGV[i + 1])]
          local n = tonumber(ARGV[i + 2])
          i = i + 3
          local command = pairCommands[op]
          if command then
            for _ = 1, n do
              redis.call(command, key, ARGV[i], ARGV[i + 1])
              i = i + 2
            end
          elseif op == 'z' then
            local keep = tonumber(ARGV[i])
            i = i + 1
            for _ = 1, n do
              redis.call('ZINCRBY', key, ARGV[i + 1], ARGV[i])
              i = i + 2
            end
            redis.call('ZREMRANGEBYRANK', key, 0, -keep - 1)
          elseif op == 'p' then
            for _ = 1, n do
              redis.call('PFADD', key, ARGV[i])
              i = i + 1
            end
          elseif op == 'x' then
            redis.call('EXPIREAT', key, ARGV[i])
            i = i + 1
          elseif op == 'm' then
            for _ = 1, n do
              local current = tonumber(redis.call('HGET', key, ARGV[i]) or '0')
              if tonumber(ARGV[i + 1]) > current then
                redis.call('HSET', key, ARGV[i], ARGV[i + 1])
              end
              i = i + 2
            end
          else
            return redis.error_reply('unknown operation ' .. tostring(op))
          end
        end
        return 1
        """;

    /// <summary>Describes <paramref name="batch"/> and <paramref name="positions"/> as the script's KEYS and ARGV.</summary>
    public static (RedisKey[] Keys, RedisValue[] Arguments) Build(
        string logId,
        CounterBatch batch,
        IReadOnlyCollection<BatchPosition> positions,
        long nowUnixMs,
        TimeSpan minuteRetention)
    {
        // Sized up front: a batch of 10,000 events makes ~100,000 arguments, and growing the list by doubling
        // would copy them several times over on the large object heap.
        var capacity = 64 + (3 * positions.Count) + batch.Days.Sum(day => 64 + (2 * day.KeyedCounts));
        var builder = new ArgumentBuilder(RedisKeys.Positions(logId), capacity);
        builder.Add(positions.Count);
        foreach (var position in positions)
        {
            builder.Add(position.Field);
            builder.Add(position.From);
            builder.Add(position.Next);
        }

        if (batch.CountedEvents > 0)
        {
            var days = new List<KeyValuePair<RedisValue, RedisValue>>();
            foreach (var day in batch.Days)
            {
                AddDay(builder, day, minuteRetention);
                days.Add(new(day.Day, RedisKeys.Day(day.Day)));
            }

            builder.Operation('a', RedisKeys.Days, days);
            builder.Operation('h', RedisKeys.AllTimeCounters, batch.AllTimeCounters().Select(c => Pair(c.Key, c.Value)));
            builder.Operation('m', RedisKeys.Status, [Pair(RedisKeys.LastEventField, batch.NewestEventUnixMs)]);
        }

        builder.Operation('s', RedisKeys.Status, [Pair(RedisKeys.LastBatchField, nowUnixMs)]);
        return builder.ToArrays();
    }

    private static void AddDay(ArgumentBuilder builder, DayDelta day, TimeSpan minuteRetention)
    {
        var d = day.Day;
        builder.Operation('h', RedisKeys.Counters(d), day.Counters().Select(c => Pair(c.Key, c.Value)));
        builder.Operation('h', RedisKeys.Namespaces(d),
            day.Namespaces.Select(n => Pair(RedisKeys.Join(n.Key.Wiki, n.Key.Namespace.ToString(System.Globalization.CultureInfo.InvariantCulture)), n.Value)));

        var hours = new List<KeyValuePair<RedisValue, RedisValue>>();
        for (var hour = 0; hour < day.Hours.Length; hour++)
        {
            if (day.Hours[hour] != 0)
            {
                hours.Add(Pair(RedisKeys.Hour(hour), day.Hours[hour]));
            }
        }

        hours.AddRange(day.WikiHours.Select(h => Pair(RedisKeys.Join(RedisKeys.Hour(h.Key.Hour), h.Key.Wiki), h.Value)));
        builder.Operation('h', RedisKeys.Hours(d), hours);

        var minutesKey = RedisKeys.Minutes(d);
        builder.Operation('h', minutesKey,
            day.Minutes.Select(m => Pair(RedisKeys.Minute(m.Key), m.Value))
                .Concat(day.WikiMinutes.Select(m => Pair(RedisKeys.Join(RedisKeys.Minute(m.Key.Minute), m.Key.Wiki), m.Value))));
        // Minute data lives until the retention has passed after the end of its day; older days vanish at once.
        var expiresAt = ((d + 1) * 86_400) + (long)minuteRetention.TotalSeconds;
        builder.Operation('x', minutesKey, [new KeyValuePair<RedisValue, RedisValue>(expiresAt, RedisValue.Null)]);

        builder.TopSet(RedisKeys.TopPages(d), day.Pages.Select(p => Pair(RedisKeys.Join(p.Key.Wiki, p.Key.Title), p.Value)));
        builder.TopSet(RedisKeys.TopEditors(d, bots: false), day.HumanEditors.Select(e => Pair(RedisKeys.Join(e.Key.Wiki, e.Key.User), e.Value)));
        builder.TopSet(RedisKeys.TopEditors(d, bots: true), day.BotEditors.Select(e => Pair(RedisKeys.Join(e.Key.Wiki, e.Key.User), e.Value)));
        builder.Members('p', RedisKeys.Editors(d), day.Editors);
        builder.Operation('h', RedisKeys.Bots(d), day.BotsByWiki.Select(b => Pair(b.Key, b.Value)));
    }

    private static KeyValuePair<RedisValue, RedisValue> Pair(string field, long value) => new(field, value);

    /// <summary>Collects KEYS (each once) and ARGV.</summary>
    private sealed class ArgumentBuilder
    {
        private readonly List<RedisKey> _keys = [];
        private readonly Dictionary<string, int> _keyIndexes = new(StringComparer.Ordinal);
        private readonly List<RedisValue> _arguments;

        public ArgumentBuilder(string positionsKey, int capacity)
        {
            _arguments = new List<RedisValue>(capacity);
            KeyIndex(positionsKey);
        }

        public void Add(RedisValue value) => _arguments.Add(value);

        /// <summary>An operation whose items are pairs; the second is left out when it is <see cref="RedisValue.Null"/>.</summary>
        public void Operation(char code, string key, IEnumerable<KeyValuePair<RedisValue, RedisValue>> items)
        {
            var header = Header(code, key);
            var count = 0;
            foreach (var (first, second) in items)
            {
                _arguments.Add(first);
                if (!second.IsNull)
                {
                    _arguments.Add(second);
                }

                count++;
            }

            Finish(header, count);
        }

        public void TopSet(string key, IEnumerable<KeyValuePair<RedisValue, RedisValue>> members)
        {
            var header = Header('z', key);
            _arguments.Add(RedisKeys.TopSetSize);
            var count = 0;
            foreach (var (member, delta) in members)
            {
                _arguments.Add(member);
                _arguments.Add(delta);
                count++;
            }

            Finish(header, count);
        }

        public void Members(char code, string key, IEnumerable<string> members)
        {
            var header = Header(code, key);
            var count = 0;
            foreach (var member in members)
            {
                _arguments.Add(member);
                count++;
            }

            Finish(header, count);
        }

        public (RedisKey[] Keys, RedisValue[] Arguments) ToArrays() => ([.. _keys], [.. _arguments]);

        private int Header(char code, string key)
        {
            var start = _arguments.Count;
            _arguments.Add(code.ToString());
            _arguments.Add(KeyIndex(key));
            _arguments.Add(0);
            return start;
        }

        /// <summary>Writes the item count, or drops an operation that has no items.</summary>
        private void Finish(int header, int count)
        {
            if (count == 0)
            {
                _arguments.RemoveRange(header, _arguments.Count - header);
                return;
            }

            _arguments[header + 2] = count;
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
}
