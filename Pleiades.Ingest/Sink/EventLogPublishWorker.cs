using System.Diagnostics;
using Microsoft.Extensions.Options;
using Pleiades.Ingest.Telemetry;
using Pleiades.Retry;

namespace Pleiades.Ingest.Sink;

/// <summary>
/// The publishing loop: opens the log and reads back where it ends (for the relay's resume), then takes events
/// from the buffer in batches and publishes each until the log acknowledged all of it, retrying with backoff while
/// the broker or disk is down (the buffer fills and reading pauses meanwhile). On shutdown it drains what the relay
/// buffered, for at most <see cref="IngestOptions.ShutdownDrainTimeout"/>. Each batch is one trace: a read span for
/// the events it holds, and a publish span per attempt as its child.
/// </summary>
public sealed class EventLogPublishWorker(
    IEventPublisher publisher,
    RelayChannel channel,
    RelayProgress progress,
    IngestTelemetry telemetry,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<EventLogPublishWorker> logger) : BackgroundService
{
    private readonly ResumeIdStore _resumeIds = new(options.Value.StateDirectory);
    private readonly ExponentialBackoff _backoff = new(options.Value.MinBackoff, options.Value.MaxBackoff);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var drainDeadline = new CancellationTokenSource();
        using var onStop = stoppingToken.Register(() => drainDeadline.CancelAfter(settings.ShutdownDrainTimeout));
        var batch = new List<IngestedEvent>(settings.BatchSize);
        try
        {
            channel.SetResumePoint(await OpenAsync(stoppingToken));
            var reader = channel.Events.Reader;
            while (await reader.WaitToReadAsync(drainDeadline.Token))
            {
                var readStarted = channel.TakeReadStart();
                batch = new List<IngestedEvent>(settings.BatchSize);
                while (batch.Count < settings.BatchSize && reader.TryRead(out var ingested))
                {
                    batch.Add(ingested);
                }

                var read = telemetry.RecordRead(batch, readStarted);
                await PublishUntilAcknowledgedAsync(batch, read, drainDeadline.Token);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            var left = batch.Count + channel.Events.Reader.Count;
            if (left > 0)
            {
                IngestLog.AbandonedAtShutdown(logger, left, publisher.Name);
            }
        }
        catch (Exception e)
        {
            channel.FailResumePoint(e);
            throw;
        }
        finally
        {
            var last = progress.LastPublishedId;
            if (!last.IsEmpty)
            {
                _resumeIds.Write(last, progress.LastEventUnixMs);
            }

            await publisher.DisposeAsync();
        }
    }

    private async Task<ResumePoint?> OpenAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await publisher.OpenAsync(stoppingToken) ?? _resumeIds.Read();
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not InvalidDataException)
            {
                var delay = _backoff.Next(attempt);
                telemetry.LoopRestarted(IngestTelemetry.PublisherComponent);
                IngestLog.OpenFailed(logger, e, publisher.Name, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }

    private async Task PublishUntilAcknowledgedAsync(List<IngestedEvent> batch, ActivityContext read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await publisher.PublishAsync(batch, read, cancellationToken);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var delay = _backoff.Next(attempt);
                telemetry.LoopRestarted(IngestTelemetry.PublisherComponent);
                IngestLog.PublishFailed(logger, e, batch.Count, publisher.Name, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }

        var last = batch[^1];
        var newest = batch.Max(e => e.TimeUnixMs);
        if (newest > 0)
        {
            telemetry.RecordPublishLag(time.GetUtcNow().ToUnixTimeMilliseconds() - newest);
        }

        progress.CountPublished(batch.Count, last.Id, newest);
        _resumeIds.Write(last.Id, last.TimeUnixMs);
    }
}
