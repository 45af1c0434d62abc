using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pleiades.Web.Telemetry;

/// <summary>
/// The Web's one <see cref="Meter"/>, named like the assembly so ServiceDefaults exports it. Instrument names
/// are chosen so that the Prometheus exporter prints CONTRACT.md's names (it appends <c>_total</c> to counters
/// and <c>_seconds</c> to instruments measured in seconds).
/// </summary>
public sealed class WebTelemetry
{
    public const string MeterName = "Pleiades.Web";

    private readonly Counter<long> _responses;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _marshalDuration;

    public WebTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _responses = meter.CreateCounter<long>("pleiades_web_http_response", description: "HTTP responses by route and status code");
        _requestDuration = meter.CreateHistogram<double>("pleiades_web_http_duration", unit: "s", description: "Time taken to answer HTTP requests");
        _marshalDuration = meter.CreateHistogram<double>("pleiades_web_counter_marshal_duration", unit: "s", description: "Time taken to read the counters from Redis and shape them");
    }

    public void RecordResponse(string path, int statusCode, TimeSpan duration)
    {
        var code = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _responses.Add(1, new KeyValuePair<string, object?>("path", path), new KeyValuePair<string, object?>("code", code));
        _requestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("path", path));
    }

    public void RecordMarshal(string operation, long startTimestamp) =>
        _marshalDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
