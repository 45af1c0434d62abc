using System.Text;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Events;
using Pleiades.Counters;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Counting;

/// <summary>The apply script against Garnet (in-process).</summary>
[Trait("Category", "Integration")]
public sealed class RedisCounterStoreOnGarnetTests(GarnetServer server) : RedisCounterStoreTests(server), IClassFixture<GarnetServer>;

/// <summary>The apply script against Debian's redis-server.</summary>
[Trait("Category", "Integration")]
public sealed class RedisCounterStoreOnRedisTests(DebianRedisServer server) : RedisCounterStoreTests(server), IClassFixture<DebianRedisServer>;

public abstract class RedisCounterStoreTests(RedisProtocolServer server) : IAsyncLifetime
{
    private const string LogId = "kafka:test-cluster:pleiades-events";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly RedisCounterStore _store = new(server.Connection);

    private IDatabase Db => server.Connection.GetDatabase();

    public async ValueTask InitializeAsync() => await server.FlushAsync().WaitAsync(Timeout, TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_batch_writes_every_key_of_the_layout()
    {
        var lines = RealSamples.Lines(RealSamples.Enwiki2023);
        var batch = CounterBatchTests.Count(lines);

        var result = await _store.ApplyAsync(LogId, batch, [new("0", BatchPosition.None, 100)], nowUnixMs: 1234).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(BatchApplyResult.Applied, result);
        var counters = await HashAsync(RedisKeys.Counters(19567));
        Assert.Equal(100, counters["pleiades_total"]);
        Assert.Equal(100, counters["pleiades_wiki_enwiki"]);
        Assert.Equal(70, counters["pleiades_length_inc"]);
        Assert.Equal(24, counters["pleiades_length_dec"]);
        Assert.Equal(4634, counters["pleiades_growth"]);
        Assert.Equal(counters, await HashAsync(RedisKeys.AllTimeCounters));
        Assert.Equal(["19567"], (await Db.SortedSetRangeByRankAsync(RedisKeys.Days)).Select(v => v.ToString()));

        var namespaces = await HashAsync(RedisKeys.Namespaces(19567));
        Assert.Equal(100, namespaces.Values.Sum());
        Assert.True(namespaces.ContainsKey("enwiki|0"));
        var hours = await HashAsync(RedisKeys.Hours(19567));
        Assert.Equal(100, hours.Where(h => !h.Key.Contains('|', StringComparison.Ordinal)).Sum(h => h.Value));
        Assert.Equal(hours["07"], hours["07|enwiki"]);

        var topPages = await Db.SortedSetRangeByRankWithScoresAsync(RedisKeys.TopPages(19567), order: Order.Descending);
        Assert.Equal(100, topPages.Sum(p => p.Score));
        Assert.Contains(topPages, p => p.Element == "enwiki|EFL Championship");
        var humans = await Db.SortedSetRangeByRankWithScoresAsync(RedisKeys.TopEditors(19567, bots: false));
        var bots = await Db.SortedSetRangeByRankWithScoresAsync(RedisKeys.TopEditors(19567, bots: true));
        Assert.Equal(98, humans.Sum(e => e.Score));
        Assert.Equal(2, bots.Sum(e => e.Score));
        Assert.Equal(2, (await HashAsync(RedisKeys.Bots(19567)))["enwiki"]);

        var distinctUsers = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("user").GetString()).Distinct().Count();
        Assert.InRange(await Db.HyperLogLogLengthAsync(RedisKeys.Editors(19567)), distinctUsers - 2, distinctUsers + 2);

        var status = await HashAsync(RedisKeys.Status);
        Assert.Equal(batch.NewestEventUnixMs, status[RedisKeys.LastEventField]);
        Assert.Equal(1234, status[RedisKeys.LastBatchField]);
        Assert.Equal(new Dictionary<string, long> { ["0"] = 100 }, await _store.ReadPositionsAsync(LogId));

        // The day keeps its minute series, exact, however old it is; the per-wiki minutes of 2023 are long past their retention.
        var minutes = await HashAsync(RedisKeys.Minutes(19567));
        Assert.Equal(100, minutes.Values.Sum());
        Assert.All(minutes.Keys, field => Assert.Matches("^[0-9]{4}$", field));
        Assert.Null(await Db.KeyTimeToLiveAsync(RedisKeys.Minutes(19567)));
        Assert.False(await Db.KeyExistsAsync(RedisKeys.WikiMinutes(19567)));
    }

    [Fact]
    public async Task Per_wiki_minute_rates_expire_after_the_retention_following_their_day()
    {
        var now = DateTimeOffset.UtcNow;
        var batch = CounterBatchTests.Count([Encoding.UTF8.GetBytes($$"""{"timestamp":{{now.ToUnixTimeSeconds()}},"wiki":"frwiki"}""")]);
        var day = now.ToUnixTimeSeconds() / 86400;
        var minute = RedisKeys.Minute((int)(now.ToUnixTimeSeconds() % 86400 / 60));

        await _store.ApplyAsync(LogId, batch, [], now.ToUnixTimeMilliseconds()).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(1, (await HashAsync(RedisKeys.Minutes(day)))[minute]);
        Assert.Null(await Db.KeyTimeToLiveAsync(RedisKeys.Minutes(day)));
        Assert.Equal(1, (await HashAsync(RedisKeys.WikiMinutes(day)))[minute + "|frwiki"]);
        var ttl = await Db.KeyTimeToLiveAsync(RedisKeys.WikiMinutes(day));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(3), TimeSpan.FromDays(4));
    }

    [Fact]
    public async Task A_batch_applied_again_changes_nothing()
    {
        var batch = CounterBatchTests.Count(RealSamples.Lines(RealSamples.WikidataNewItems2018));
        BatchPosition[] positions = [new("0", BatchPosition.None, 40), new("1", BatchPosition.None, 42)];

        Assert.Equal(BatchApplyResult.Applied, await _store.ApplyAsync(LogId, batch, positions, 1).WaitAsync(Timeout, TestContext.Current.CancellationToken));
        var before = await HashAsync(RedisKeys.AllTimeCounters);

        // The reply of the first call was "lost": the reader sends the same batch again.
        Assert.Equal(BatchApplyResult.AlreadyApplied, await _store.ApplyAsync(LogId, batch, positions, 2).WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.Equal(before, await HashAsync(RedisKeys.AllTimeCounters));
        Assert.Equal(1, (await HashAsync(RedisKeys.Status))[RedisKeys.LastBatchField]);
    }

    [Fact]
    public async Task A_stale_batch_is_refused_whole()
    {
        var lines = RealSamples.Lines(RealSamples.Enwiki2023);
        await _store.ApplyAsync(LogId, CounterBatchTests.Count(lines.Take(30)), [new("0", BatchPosition.None, 30)], 1).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var before = await HashAsync(RedisKeys.AllTimeCounters);

        // Another reader started partition 0 from nothing and read 50 events; partition 1 is new to everyone.
        var stale = CounterBatchTests.Count(lines.Take(50));
        var result = await _store.ApplyAsync(LogId, stale, [new("1", BatchPosition.None, 10), new("0", BatchPosition.None, 50)], 2).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(BatchApplyResult.Stale, result);
        Assert.Equal(before, await HashAsync(RedisKeys.AllTimeCounters));
        Assert.Equal(new Dictionary<string, long> { ["0"] = 30 }, await _store.ReadPositionsAsync(LogId));
    }

    [Fact]
    public async Task Batches_in_sequence_sum_to_one_big_batch_and_positions_of_other_logs_are_apart()
    {
        var lines = RealSamples.Lines(RealSamples.WikidataBatch2018);
        long from = BatchPosition.None;
        foreach (var chunk in lines.Chunk(1000))
        {
            var next = (from == BatchPosition.None ? 0 : from) + chunk.Length;
            Assert.Equal(BatchApplyResult.Applied, await _store.ApplyAsync(LogId, CounterBatchTests.Count(chunk), [new("3", from, next)], 1).WaitAsync(Timeout, TestContext.Current.CancellationToken));
            from = next;
        }

        var expected = CounterOracle.Count(lines).AllTime;
        Assert.Equal(expected, await HashAsync(RedisKeys.AllTimeCounters));
        Assert.Equal(expected, await HashAsync(RedisKeys.Counters(17597)));
        Assert.Equal(3818, (await _store.ReadPositionsAsync(LogId))["3"]);
        Assert.Empty(await _store.ReadPositionsAsync("kafka:another-cluster:pleiades-events"));

        // Top sets stay bounded even though the day has thousands of pages.
        Assert.Equal(RedisKeys.TopSetSize, await Db.SortedSetLengthAsync(RedisKeys.TopPages(17597)));
    }

    [Fact]
    public async Task Racing_writers_of_the_same_batch_apply_it_once()
    {
        var batch = CounterBatchTests.Count(RealSamples.Lines(RealSamples.Enwiki2023));
        var connections = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.ConnectAsync())).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        try
        {
            var results = new List<BatchApplyResult>();
            for (var round = 0; round < 10; round++)
            {
                BatchPosition[] positions = [new("0", round == 0 ? BatchPosition.None : round * 100, (round + 1) * 100)];
                var attempts = connections.Select(c => new RedisCounterStore(c).ApplyAsync(LogId, batch, positions, round));
                results.AddRange(await Task.WhenAll(attempts).WaitAsync(Timeout, TestContext.Current.CancellationToken));
            }

            Assert.Equal(10, results.Count(r => r == BatchApplyResult.Applied));
            Assert.Equal(1000, (await HashAsync(RedisKeys.AllTimeCounters))["pleiades_total"]);
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Odd_unicode_names_are_stored_exactly_and_leave_the_good_counts_alone()
    {
        var good = RealSamples.Lines(RealSamples.Enwiki2023);
        string[] odd =
        [
            """{"meta":{"dt":"2023-07-29T09:00:00Z"},"wiki":"zh_\u5927\u200dwiki","title":"\ud83d\ude00 | \u0000 \u202e","user":"\u202e|bot","namespace":-1}""",
            """{"meta":{"dt":"2023-07-29T09:00:00Z"},"wiki":"enwiki","title":"\ud800"}""",
            """{"meta":{"dt":"2023-07-29T09:00:00Z"},"wiki":["enwiki"]}""",
        ];
        var batch = CounterBatchTests.Count(good.Concat(odd.Select(Encoding.UTF8.GetBytes)));

        await _store.ApplyAsync(LogId, batch, [new("0", BatchPosition.None, 103)], 1).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var counters = await HashAsync(RedisKeys.Counters(19567));
        // The title that is not valid Unicode makes the parser skip its frame (InvalidText); the other two count, the
        // list-valued wiki as an event without a wiki.
        var expected = CounterOracle.Count(good.Select(Encoding.UTF8.GetString).Concat([odd[0], odd[2]])).AllTime;
        Assert.Equal(1, expected["pleiades_wiki_zh_\u5927\u200dwiki"]);
        Assert.Equal(expected, counters);
        Assert.Equal(1, (await HashAsync(RedisKeys.Namespaces(19567)))["zh_\u5927\u200dwiki|-1"]);
        var pages = await Db.SortedSetRangeByRankAsync(RedisKeys.TopPages(19567));
        Assert.Contains(pages, p => p == "zh_\u5927\u200dwiki|\U0001F600 | \0 \u202e");
    }

    [Fact]
    public async Task Editors_beyond_one_chunk_of_the_scripts_PFADD_are_all_counted()
    {
        // The script adds editors to the day's HyperLogLog in chunks of 500: 1,234 spans three of them.
        const int editors = 1_234;
        var lines = Enumerable.Range(0, editors).Select(i =>
            Encoding.UTF8.GetBytes($$"""{"meta":{"dt":"2023-07-29T09:00:00Z"},"wiki":"enwiki","title":"Page {{i}}","user":"Editor {{i}}","type":"edit"}"""));
        var batch = CounterBatchTests.Count(lines);

        await _store.ApplyAsync(LogId, batch, [new("0", BatchPosition.None, editors)], 1).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        // HyperLogLog's standard error is 0.81%; 3% is far outside it, and one chunk (500) or two (1,000) far below.
        Assert.InRange(await Db.HyperLogLogLengthAsync(RedisKeys.Editors(19567)), editors * 0.97, editors * 1.03);
        Assert.Equal(editors, (await HashAsync(RedisKeys.Counters(19567)))["pleiades_total"]);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(200)]
    [InlineData(300)]
    [InlineData(RecentChangeParser.MaxTextBytes)]
    public async Task Titles_of_every_length_class_reach_the_script_intact(int titleBytes)
    {
        // The operations travel as one MessagePack array whose string headers differ by length (up to 31 bytes,
        // 255, 65,535): each class must reach the script as the same bytes (longer titles are refused by the
        // parser; MessagePackStringArrayTests covers longer strings). "é" is two bytes in UTF-8.
        var title = new string('é', titleBytes / 2) + new string('x', titleBytes % 2);
        var line = Encoding.UTF8.GetBytes($$"""{"meta":{"dt":"2023-07-29T09:00:00Z"},"wiki":"enwiki","title":"{{title}}","user":"U","type":"edit"}""");
        var batch = CounterBatchTests.Count([line]);

        var result = await _store.ApplyAsync(LogId, batch, [new("0", BatchPosition.None, 1)], 1).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(BatchApplyResult.Applied, result);
        var pages = await Db.SortedSetRangeByRankAsync(RedisKeys.TopPages(19567));
        Assert.Equal(["enwiki|" + title], pages.Select(p => p.ToString()));
        Assert.Equal(1, (await HashAsync(RedisKeys.Counters(19567)))["pleiades_total"]);
    }

    private async Task<Dictionary<string, long>> HashAsync(string key) =>
        (await Db.HashGetAllAsync(key).WaitAsync(Timeout, TestContext.Current.CancellationToken)).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
}
