using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, and OpenTelemetry
// (OTLP to the Aspire dashboard, Prometheus text at /metrics). Referenced by every service project.
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string MetricsEndpointPath = "/metrics";

    /// <summary>Configuration key of the port a service listens on when it runs outside the AppHost.</summary>
    public const string MetricsPortKey = "Metrics:Port";

    /// <summary>The port a standalone service listens on for /metrics and health when none is configured.</summary>
    public const int DefaultMetricsPort = 9000;

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default
            http.AddStandardResilienceHandler();

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Configuration key that puts Blazor's own traffic back into the traces (false by default). A Blazor Server circuit
    /// is one long <c>/_blazor</c> request, and everything its components do (each live view's Redis reads, every second)
    /// became a span under it: thousands in minutes, burying the pipeline's traces. Left out, its children are not
    /// sampled either (the default sampler follows the parent).
    /// </summary>
    public const string TraceBlazorKey = "Telemetry:TraceBlazor";

    /// <summary>The Blazor circuit's SignalR hub (<c>/_blazor</c>, its negotiation and transports) and the framework's scripts.</summary>
    public static bool IsBlazorInternal(PathString path) =>
        path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/_framework");

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                // Each service has one Meter named after itself (see its Telemetry class).
                var ownMeter = builder.Environment.ApplicationName;
                metrics.AddMeter(ownMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddView(instrument => PrometheusCounterName(instrument, ownMeter))
                    .AddPrometheusExporter(prometheus => prometheus.DisableTotalNameSuffixForCounters = true);
            })
            .WithTracing(tracing =>
            {
                var traceBlazor = builder.Configuration.GetValue<bool>(TraceBlazorKey);
                // Every Pleiades source: the service's own (named after it) and the event log's (Pleiades.Kafka), whose
                // spans carry a trace from the stream read through the log into the Redis write.
                tracing.AddSource("Pleiades.*")
                    .AddAspNetCoreInstrumentation(tracing =>
                        // Exclude health check and scrape requests from tracing
                        tracing.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                            && !context.Request.Path.StartsWithSegments(MetricsEndpointPath)
                            && (traceBlazor || !IsBlazorInternal(context.Request.Path)))
                    .AddHttpClientInstrumentation();
            });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    /// <summary>
    /// The exporter appends no <c>_total</c> to counters, so that a service's own meter can keep a counter named
    /// without it (the original's <c>pleiades_goroutine_restarts</c>); its other counters spell out <c>_total</c>
    /// in their instrument names. The counters of every other meter (runtime, ASP.NET Core, HttpClient, Kafka) are
    /// renamed here to what the exporter would have called them: the unit, then <c>_total</c>.
    /// </summary>
    private static MetricStreamConfiguration? PrometheusCounterName(Instrument instrument, string ownMeter)
    {
        var type = instrument.GetType();
        var monotonic = type.IsGenericType
            && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>));
        if (!monotonic || instrument.Meter.Name == ownMeter || instrument.Name.EndsWith("_total", StringComparison.Ordinal))
        {
            return null;
        }

        var unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        return new MetricStreamConfiguration { Name = instrument.Name + unit + "_total" };
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Add a default liveness check to ensure app is responsive
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Makes a service that runs on its own (no AppHost, so no ASPNETCORE_URLS) listen on its metrics port,
    /// as the original's <c>--metricsPort</c> did. Under the AppHost the service's own endpoint is used,
    /// unless a metrics port is given explicitly, which is then served in addition.
    /// </summary>
    public static WebApplicationBuilder UseMetricsPort(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[MetricsPortKey];
        var hasUrls = !string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
            || !string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"])
            || !string.IsNullOrEmpty(builder.Configuration["HTTPS_PORTS"]);

        if (configured is null && hasUrls)
        {
            return builder;
        }

        var port = configured is null ? DefaultMetricsPort : int.Parse(configured, System.Globalization.CultureInfo.InvariantCulture);
        var urls = hasUrls ? builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) : null;
        var metricsUrl = $"http://*:{port}";
        builder.WebHost.UseUrls(string.IsNullOrEmpty(urls) ? metricsUrl : $"{urls};{metricsUrl}");
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Health endpoints are mapped in every environment: the AppHost, Kubernetes probes and the
        // original's users all poll them. They report status only, never details.
        // All health checks must pass for app to be considered ready to accept traffic after starting
        app.MapHealthChecks(HealthEndpointPath);

        // Only health checks tagged with the "live" tag must pass for app to be considered alive
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live")
        });

        // Prometheus text exposition, the format the original's dashboards and alerts scrape.
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);

        return app;
    }
}
