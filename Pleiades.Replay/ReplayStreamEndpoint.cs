using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Options;

namespace Pleiades.Replay;

/// <summary>
/// Serves <c>GET /v2/stream/{streams}</c> as EventStreams does: the User-Agent check, <c>:ok</c>, then
/// <c>event</c>/<c>id</c>/<c>data</c> frames from the resume point, with the configured faults. Options are read
/// per request, so a test may change the faults while clients are connected.
/// </summary>
internal sealed class ReplayStreamEndpoint(
    ReplayCapture capture,
    ReplayTimeline timeline,
    IOptions<ReplayOptions> options,
    ReplayStatistics statistics,
    IHostApplicationLifetime lifetime,
    ILogger<ReplayStreamEndpoint> logger)
{
    private const int FlushBytes = 32 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var settings = options.Value;
        var request = statistics.CountRequest();
        var userAgent = context.Request.Headers.UserAgent.Count > 0 ? context.Request.Headers.UserAgent.ToString() : null;
        var lastEventId = context.Request.Headers.TryGetValue("Last-Event-ID", out var id) ? id.ToString() : null;
        statistics.UserAgents.Enqueue(userAgent);
        statistics.LastEventIds.Enqueue(lastEventId);

        if (settings.RequireUserAgent && ReplayUserAgentPolicy.Check(userAgent) is { } refusal)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, refusal);
            return;
        }

        if (settings.FailStatus > 0 && request <= settings.FailCount)
        {
            await RefuseAsync(context, settings.FailStatus, $"injected failure {request} of {settings.FailCount}");
            return;
        }

        var total = settings.Loop ? long.MaxValue : (long)capture.Events.Count * Math.Max(1, settings.Multiply);
        var next = ReplayStreamIds.ResumeIndex(total, lastEventId, context.Request.Query["since"], time => timeline.FirstAtOrAfter(settings, time, total));
        var served = timeline.For(settings, next, out var shifted);
        ReplayTimeShift? shift = shifted ? served : null;
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Stream request {Request} resumes at event {Next} of {Total} (Last-Event-ID {LastEventId})", request, next, total, lastEventId ?? "none");
        }

        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var writer = context.Response.BodyWriter;
        try
        {
            writer.Write(":ok\n\n"u8);
            await writer.FlushAsync(cancellationToken);

            var sent = 0L;
            var unflushed = 0L;
            var started = Stopwatch.GetTimestamp();
            while (next < total)
            {
                if (settings.Pace == ReplayPace.Recorded)
                {
                    var due = timeline.DueUnixMs(served, next) - timeline.NowUnixMs;
                    if (due > 0)
                    {
                        await writer.FlushAsync(cancellationToken);
                        unflushed = 0;
                        await Task.Delay(TimeSpan.FromMilliseconds(due), cancellationToken);
                    }
                }

                unflushed += WriteFrame(writer, settings.IdStyle, next++, shift);
                sent++;
                if (settings.DropEvery > 0 && sent % settings.DropEvery == 0)
                {
                    await writer.FlushAsync(cancellationToken);
                    statistics.CountSent(sent);
                    statistics.CountDropped();
                    if (settings.DropAbruptly)
                    {
                        context.Abort();
                    }

                    return;
                }

                if (settings.StallAfter > 0 && sent == settings.StallAfter)
                {
                    await writer.FlushAsync(cancellationToken);
                    statistics.CountStall();
                    await Task.Delay(settings.StallFor, cancellationToken);
                }

                if (settings.Rate > 0 && settings.Pace == ReplayPace.Even)
                {
                    var due = TimeSpan.FromSeconds(sent / settings.Rate) - Stopwatch.GetElapsedTime(started);
                    if (due > TimeSpan.Zero)
                    {
                        await writer.FlushAsync(cancellationToken);
                        unflushed = 0;
                        await Task.Delay(due, cancellationToken);
                    }
                }

                if (unflushed >= FlushBytes)
                {
                    var flushed = await writer.FlushAsync(cancellationToken);
                    unflushed = 0;
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        statistics.CountSent(sent);
                        return;
                    }
                }
            }

            await writer.FlushAsync(cancellationToken);
            statistics.CountSent(sent);
            if (!settings.CloseAtEnd)
            {
                // The live stream never ends; between edits it is simply silent.
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client left or the server is stopping.
        }
    }

    /// <summary>Writes event <paramref name="index"/> (a copy of capture event index mod count, its times shifted by <paramref name="shift"/> when given) as one frame; returns its bytes.</summary>
    private long WriteFrame(PipeWriter writer, ReplayIdStyle style, long index, ReplayTimeShift? shift)
    {
        var replayEvent = capture.Events[(int)(index % capture.Events.Count)];
        var before = writer.UnflushedBytes;

        writer.Write("event: message\nid: "u8);
        var time = shift is { } s && replayEvent.TimeUnixMs != 0 ? s.Serve(replayEvent.TimeUnixMs, index / capture.Events.Count) : replayEvent.TimeUnixMs;
        ReplayStreamIds.Write(writer, style, index, time);
        writer.Write("\ndata: "u8);
        capture.WriteData(writer, index, shift);
        writer.Write("\n\n"u8);
        return writer.UnflushedBytes - before;
    }

    private async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        statistics.CountRefused();
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Refused a stream request with {Status}: {Reason}", status, reason);
        }
        context.Response.StatusCode = status;
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }
}
