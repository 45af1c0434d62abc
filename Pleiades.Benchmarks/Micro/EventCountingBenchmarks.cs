using BenchmarkDotNet.Attributes;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Events;

namespace Pleiades.Benchmarks.Micro;

/// <summary>Per event: parsing the JSON into a <see cref="RecentChange"/>, and parsing plus adding it to a <see cref="CounterBatch"/> (the counter deltas).</summary>
[Config(typeof(MicroConfig))]
public class EventCountingBenchmarks
{
    private readonly RecentChangeParser _parser = new();
    private readonly CounterBatch _batch = new();
    private byte[][] _events = [];

    [GlobalSetup]
    public void Setup() => _events = BenchmarkInput.Events;

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public long Parse()
    {
        long sum = 0;
        foreach (var data in _events)
        {
            if (_parser.Parse(data, out var change) == RecentChangeParseStatus.Counted)
            {
                sum += change.EventUnixMs;
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public int ParseAndCount()
    {
        _batch.Clear();
        foreach (var data in _events)
        {
            if (_parser.Parse(data, out var change) == RecentChangeParseStatus.Counted)
            {
                _batch.Add(change);
            }
        }

        return _batch.CountedEvents;
    }
}
