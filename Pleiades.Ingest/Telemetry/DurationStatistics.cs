using System.Diagnostics.Metrics;

namespace Pleiades.Ingest.Telemetry;

/// <summary>
/// The minimum, maximum and mean of durations recorded since the last collection, reported as the original's
/// gauges with an <c>agg</c> label (<c>min</c>, <c>max</c>, <c>avg</c>; kafka-go's writer statistics, which reset
/// on every read). A collection with nothing recorded since the last one reports zeros, as kafka-go's did.
/// </summary>
public sealed class DurationStatistics
{
    private static readonly KeyValuePair<string, object?> Min = new("agg", "min");
    private static readonly KeyValuePair<string, object?> Max = new("agg", "max");
    private static readonly KeyValuePair<string, object?> Avg = new("agg", "avg");

    private readonly Lock _lock = new();
    private double _min;
    private double _max;
    private double _sum;
    private long _count;

    public void Record(TimeSpan duration)
    {
        var seconds = duration.TotalSeconds;
        lock (_lock)
        {
            _min = _count == 0 ? seconds : Math.Min(_min, seconds);
            _max = Math.Max(_max, seconds);
            _sum += seconds;
            _count++;
        }
    }

    /// <summary>The statistics since the last call, in seconds; starts a new interval.</summary>
    public Measurement<double>[] Collect()
    {
        lock (_lock)
        {
            var measurements = new Measurement<double>[]
            {
                new(_min, Min),
                new(_max, Max),
                new(_count == 0 ? 0 : _sum / _count, Avg),
            };
            (_min, _max, _sum, _count) = (0, 0, 0, 0);
            return measurements;
        }
    }
}
