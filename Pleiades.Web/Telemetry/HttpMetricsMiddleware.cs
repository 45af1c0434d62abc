using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Pleiades.Web.Telemetry;

/// <summary>
/// Counts responses by route template and status code, as the original's <c>pleiades_web_http_response_total{path,code}</c>.
/// The route template (not the raw path) is the label, so that user-chosen URLs cannot grow the metric without bound.
/// </summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, WebTelemetry telemetry)
{
    public const string UnmatchedPath = "unmatched";

    /// <summary>Each endpoint's label, made once: an endpoint's route template never changes, and requests are many.</summary>
    private static readonly ConditionalWeakTable<RouteEndpoint, string> PathLabels = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var path = context.GetEndpoint() is RouteEndpoint route ? PathLabels.GetValue(route, PathLabel) : UnmatchedPath;
            telemetry.RecordResponse(path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    private static string PathLabel(RouteEndpoint route) => "/" + route.RoutePattern.RawText?.TrimStart('/');
}
