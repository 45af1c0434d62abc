using Microsoft.Extensions.Options;

namespace Pleiades.Ingest.Relay;

/// <summary>Logs one progress line every <see cref="IngestOptions.ProgressInterval"/>: rate, last event time, lag, buffer, duplicates, reconnects.</summary>
public sealed class ProgressReporter(
    RelayProgress progress,
    RelayChannel channel,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<ProgressReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ProgressInterval;
        using var timer = new PeriodicTimer(interval, time);
        var previous = progress.Published;
        var previousAt = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var published = progress.Published;
                var elapsed = time.GetElapsedTime(previousAt).TotalSeconds;
                previousAt = time.GetTimestamp();
                var lastEvent = progress.LastEventUnixMs;
                var lag = lastEvent > 0 ? (time.GetUtcNow().ToUnixTimeMilliseconds() - lastEvent) / 1000.0 : 0;
                IngestLog.Progress(logger, published, elapsed > 0 ? (published - previous) / elapsed : 0,
                    lastEvent > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastEvent).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "none yet",
                    lag, channel.Events.Reader.Count, progress.Duplicates, progress.Reconnects);
                previous = published;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
