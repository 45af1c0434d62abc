using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pleiades.Tests.Aggregator;

/// <summary>Sums of the long counters one meter factory's instruments record, by instrument name and tags, while it listens.</summary>
public sealed class MeasuredCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new(StringComparer.Ordinal);

    public MeasuredCounters(IMeterFactory factory, string namePrefix)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name.StartsWith(namePrefix, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                key += $"{{{tag.Key}={tag.Value}}}";
            }

            _sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>The sum recorded under <paramref name="key"/> (<c>name</c> or <c>name{tag=value}</c>), 0 when none.</summary>
    public long this[string key] => _sums.GetValueOrDefault(key);

    public void Dispose() => _listener.Dispose();
}
