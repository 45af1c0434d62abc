using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Pleiades.Ingest.Telemetry;
using Pleiades.Retry;
using Pleiades.Sse;

namespace Pleiades.Ingest.Source;

/// <summary>
/// The reading loop: connects to EventStreams (resuming after the last event in the log), parses frames,
/// drops repeats by meta.id and hands events to the bounded buffer; on any interruption it reconnects with
/// backoff from the last event it read, logging and counting the reason. On shutdown it stops reading and
/// completes the buffer, which the publisher then drains.
/// </summary>
public sealed class EventStreamsRelay(
    EventStreamsClient client,
    RelayChannel channel,
    RelayProgress progress,
    IngestTelemetry telemetry,
    IOptions<IngestOptions> options,
    ILogger<EventStreamsRelay> logger) : BackgroundService
{
    private const int PipeBufferSize = 64 * 1024;

    private readonly MetaIdWindow _seen = new(options.Value.DedupeWindow);
    private ReadOnlyMemory<byte>? _lastId;
    private long _lastEventUnixMs;
    private readonly ReconnectLog _reconnectLog = new(logger);
    private long _connectionEvents;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PrepareResumeAsync(stoppingToken);
            await RelayAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            channel.Events.Writer.TryComplete();
        }
    }

    private async Task PrepareResumeAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var resume = await channel.ResumePoint.WaitAsync(stoppingToken);
        if (!settings.Resume)
        {
            IngestLog.NotResuming(logger, "--resume=false");
            return;
        }

        if (resume is null)
        {
            IngestLog.NotResuming(logger, settings.Since is null ? "the log is empty; starting at the live edge" : $"the log is empty; backfilling since {settings.Since}");
            return;
        }

        _lastId = resume.Id;
        _lastEventUnixMs = resume.TimeUnixMs;
        foreach (var metaId in resume.RecentMetaIds)
        {
            _seen.TryAdd(metaId);
        }

        IngestLog.Resuming(logger, resume.Source, Encoding.UTF8.GetString(resume.Id.Span));
    }

    private async Task RelayAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var backoff = new ExponentialBackoff(settings.MinBackoff, settings.MaxBackoff);
        var failedAttempts = 0;
        TimeSpan? serverRetry = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            _connectionEvents = 0;
            string reason;
            string detail;
            TimeSpan? retryAfter = null;
            try
            {
                var lastEventId = _lastId is { } id ? LastEventIdRewriter.Rewrite(id.Span, _lastEventUnixMs) : null;
                var resumeText = lastEventId is null ? "no Last-Event-ID" : "Last-Event-ID " + lastEventId;
                _reconnectLog.Connecting(settings.StreamUrl, resumeText);

                using var response = await client.ConnectAsync(lastEventId, backfill: true, stoppingToken);
                await using var body = await response.Content.ReadAsStreamAsync(stoppingToken);
                var parser = new SseParser();
                var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: PipeBufferSize, minimumReadSize: PipeBufferSize / 4, leaveOpen: true));
                progress.BeginConnection(parser);
                try
                {
                    await ReadStreamAsync(new SseStreamReader(reader, parser, settings.ReadTimeout), stoppingToken);
                }
                finally
                {
                    progress.EndConnection();
                    serverRetry = parser.Retry ?? serverRetry;
                    await reader.CompleteAsync();
                }

                (reason, detail) = ("eof", "the server ended the stream");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (EventStreamsRefusedException e)
            {
                reason = e.Status switch
                {
                    HttpStatusCode.Forbidden => "http_403",
                    HttpStatusCode.TooManyRequests => "http_429",
                    >= HttpStatusCode.InternalServerError => "http_5xx",
                    _ => "http_other",
                };
                detail = e.Message;
                retryAfter = e.RetryAfter;
                if (e.Status == HttpStatusCode.Forbidden)
                {
                    IngestLog.UserAgentRefused(logger, settings.UserAgent, e.Message);
                }
            }
            catch (TimeoutException e)
            {
                (reason, detail) = ("body_read_timeout", e.Message);
            }
            catch (SseFormatException e)
            {
                (reason, detail) = ("format_error", e.Message);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                (reason, detail) = ("read_error", e.Message);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A bug must not end the relay silently: it is logged and counted, and the loop starts again.
                (reason, detail) = ("internal_error", e.ToString());
                telemetry.LoopRestarted(IngestTelemetry.RelayComponent);
            }

            // A connection that delivered events was a success: the next attempt starts the backoff afresh.
            failedAttempts = _connectionEvents > 0 ? 0 : failedAttempts + 1;
            telemetry.ReceiveErrors.Add(1, new KeyValuePair<string, object?>("type", reason));
            telemetry.Reconnects.Add(1, new KeyValuePair<string, object?>("reason", reason));
            progress.CountReconnect();
            var delay = backoff.Next(failedAttempts, serverRetry, retryAfter);
            _reconnectLog.Reconnecting(_connectionEvents, reason, detail, delay);
            await Task.Delay(delay, stoppingToken);
        }
    }

    /// <summary>Relays the frames of one connection, counting them in <see cref="_connectionEvents"/>.</summary>
    private async Task ReadStreamAsync(SseStreamReader reader, CancellationToken stoppingToken)
    {
        var writer = channel.Events.Writer;
        await foreach (var frame in reader.ReadFramesAsync(stoppingToken))
        {
            if (frame.IsError)
            {
                telemetry.ReceiveErrors.Add(1, new KeyValuePair<string, object?>("type", "server_error_event"));
                IngestLog.ServerErrorEvent(logger, frame.DataText);
                continue;
            }

            if (frame.EventType != SseFrame.DefaultEventType)
            {
                telemetry.ReceiveErrors.Add(1, new KeyValuePair<string, object?>("type", "unknown_event_type"));
                continue;
            }

            telemetry.ReceivedEvents.Add(1);
            progress.CountReceived();
            var metadata = EventMetadata.Read(frame.Data.Span);
            if (!frame.Id.IsEmpty)
            {
                // A stream without ids cannot be resumed; an empty Last-Event-ID would only confuse the server.
                _lastId = frame.Id;
            }

            if (metadata.TimeUnixMs > 0)
            {
                _lastEventUnixMs = metadata.TimeUnixMs;
            }

            if (!metadata.IsJsonObject)
            {
                // Relayed all the same: the log is a faithful copy and the Aggregator counts and skips it.
                telemetry.ReceiveErrors.Add(1, new KeyValuePair<string, object?>("type", "malformed_event"));
            }

            if (metadata.MetaId is { } metaId && !_seen.TryAdd(metaId))
            {
                telemetry.Duplicates.Add(1);
                progress.CountDuplicate();
                continue;
            }

            var ingested = new IngestedEvent(frame.Id, frame.Data, metadata.TimeUnixMs, metadata.MetaId);
            channel.NoteRead();
            if (!writer.TryWrite(ingested))
            {
                await writer.WriteAsync(ingested, stoppingToken);
            }

            if (_connectionEvents++ == 0)
            {
                _reconnectLog.EventsArrived();
            }
        }
    }
}
