using System.Diagnostics;

namespace Pleiades.Web.Telemetry;

/// <summary>
/// Counts responses by route template and status code, as the original's <c>pleiades_web_http_response_total{path,code}</c>.
/// The route template (not the raw path) is the label, so that user-chosen URLs cannot grow the metric without bound.
/// </summary>
internal sealed class HttpMetricsMiddleware(RequestDelegate next, WebTelemetry telemetry)
{
    public const string UnmatchedPath = "unmatched";

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var path = context.GetEndpoint() is RouteEndpoint route ? "/" + route.RoutePattern.RawText?.TrimStart('/') : UnmatchedPath;
            telemetry.RecordResponse(path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }
}
