using BenchmarkDotNet.Attributes;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Events;
using Pleiades.Benchmarks.Data;

namespace Pleiades.Benchmarks.Micro;

/// <summary>
/// Applying one batch of 1,000 events (its counter deltas and its position, one atomic script call) to Garnet in
/// this process and to Debian's redis-server. Every call advances the position, so every batch is really applied.
/// </summary>
[Config(typeof(MicroConfig))]
public class RedisBatchBenchmarks
{
    private const int BatchEvents = 1_000;
    private const string LogId = "bench";

    private readonly CounterBatch _batch = new();
    private RedisUnderTest? _redis;
    private RedisCounterStore? _store;
    // The stored position starts as none; every batch then starts where the previous one ended.
    private long _next = BatchPosition.None;

    [Params(RedisUnderTest.Garnet, RedisUnderTest.RedisServer)]
    public string Redis { get; set; } = RedisUnderTest.Garnet;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _redis = await RedisUnderTest.StartAsync(Redis);
        _store = new RedisCounterStore(_redis.Connection);
        var parser = new RecentChangeParser();
        foreach (var data in BenchmarkInput.Events.Take(BatchEvents))
        {
            if (parser.Parse(data, out var change) == RecentChangeParseStatus.Counted)
            {
                _batch.Add(change);
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Builds the script arguments from the batch and applies them: what the Aggregator does per batch.</summary>
    [Benchmark]
    public async Task<BatchApplyResult> ApplyBatchOf1000()
    {
        var from = _next;
        _next = Math.Max(0, _next) + BatchEvents;
        var result = await _store!.ApplyAsync(LogId, _batch, [new BatchPosition("0", from, _next)], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return result == BatchApplyResult.Applied ? result : throw new InvalidOperationException($"the batch was not applied: {result}");
    }
}
