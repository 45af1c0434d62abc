using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Pleiades.Web.Telemetry;

/// <summary>
/// The Web's one <see cref="Meter"/>, named like the assembly so ServiceDefaults exports it. Instrument names
/// are chosen so that the Prometheus exporter prints the contract's names (docs/contract.md, section 4): counters
/// spell out <c>_total</c> (the exporter appends none) and it appends <c>_seconds</c> to instruments measured in seconds.
/// </summary>
public sealed class WebTelemetry
{
    public const string MeterName = "Pleiades.Web";

    // Seconds-scaled buckets: the exporter's defaults (0, 5, 10, ... as if in milliseconds) would put every request in one bucket.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    /// <summary>The <c>status</c> label of every HTTP status code, made once rather than per response.</summary>
    private static readonly string[] StatusCodeLabels = Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture)).ToArray();

    private readonly Counter<long> _responses;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _marshalDuration;

    public WebTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _responses = meter.CreateCounter<long>("pleiades_web_http_response_total", description: "HTTP responses by route and status code");
        _requestDuration = meter.CreateHistogram<double>("pleiades_web_http_duration", unit: "s", description: "Time taken to answer HTTP requests", advice: SecondsBuckets);
        _marshalDuration = meter.CreateHistogram<double>("pleiades_web_counter_marshal_duration", unit: "s", description: "Time taken to read the counters from Redis and shape them", advice: SecondsBuckets);
        meter.CreateObservableUpDownCounter("pleiades_web_memory_pool", ObserveMemoryPool, unit: "By", description: "Kestrel's connection buffers (Web:Transport:MemoryBlockSize blocks), rented and pooled");
        meter.CreateObservableCounter("pleiades_web_memory_pool_allocated_bytes_total", () => MemoryPool.AllocatedBytes, unit: "By", description: "Kestrel's connection buffers allocated anew");
    }

    /// <summary>What the Web's own pool of Kestrel's connection buffers holds (none while <c>Web:Transport:MemoryBlockSize</c> is 0).</summary>
    public MemoryPoolUsage MemoryPool { get; } = new();

    public void RecordResponse(string path, int statusCode, TimeSpan duration)
    {
        var status = (uint)statusCode < StatusCodeLabels.Length ? StatusCodeLabels[statusCode] : statusCode.ToString(CultureInfo.InvariantCulture);
        _responses.Add(1, new KeyValuePair<string, object?>("path", path), new KeyValuePair<string, object?>("status", status));
        _requestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("path", path));
    }

    private IEnumerable<Measurement<long>> ObserveMemoryPool() =>
    [
        new(MemoryPool.RentedBytes, new KeyValuePair<string, object?>("state", "rented")),
        new(MemoryPool.PooledBytes, new KeyValuePair<string, object?>("state", "pooled")),
    ];

    public void RecordMarshal(string operation, long startTimestamp) =>
        _marshalDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
