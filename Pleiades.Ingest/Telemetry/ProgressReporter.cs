using Microsoft.Extensions.Options;

namespace Pleiades.Ingest.Telemetry;

/// <summary>
/// Logs one progress line every <see cref="IngestOptions.ProgressInterval"/> while events flow, and at most once per
/// <see cref="IdleInterval"/> while none do: rate, last event time, lag, buffer, duplicates, reconnects.
/// </summary>
/// <remarks>
/// The lag is how old the newest event was when it reached the log (its <c>meta.dt</c> against the clock at the first
/// progress tick that saw it, so at most one interval high): the stream's delay, which stays put while the stream is
/// quiet instead of growing with the clock. Events more than <see cref="HistoricLag"/> old when they arrived come from
/// a replay of a capture or a backfill: the line says so instead of a lag of months.
/// </remarks>
public sealed class ProgressReporter(
    RelayProgress progress,
    RelayChannel channel,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<ProgressReporter> logger) : BackgroundService
{
    /// <summary>The longest a quiet stream goes without a progress line.</summary>
    public static readonly TimeSpan IdleInterval = TimeSpan.FromMinutes(1);

    /// <summary>A lag beyond this is a historic replay or a backfill, not the stream's delay.</summary>
    public static readonly TimeSpan HistoricLag = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ProgressInterval;
        using var timer = new PeriodicTimer(interval, time);
        var previous = progress.Published;
        var previousAt = time.GetTimestamp();
        var lastLineAt = previousAt;
        var lastEvent = 0L;
        var lag = TimeSpan.Zero;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var published = progress.Published;
                var newest = progress.LastEventUnixMs;
                if (newest != lastEvent && newest > 0)
                {
                    lastEvent = newest;
                    lag = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(newest);
                }

                if (published == previous && time.GetElapsedTime(lastLineAt) < IdleInterval)
                {
                    // Quiet: the line waits, and its rate then covers the whole quiet time.
                    continue;
                }

                var elapsed = time.GetElapsedTime(previousAt).TotalSeconds;
                previousAt = lastLineAt = time.GetTimestamp();
                IngestLog.Progress(logger, published, elapsed > 0 ? (published - previous) / elapsed : 0,
                    lastEvent > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(lastEvent).ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "none yet",
                    LagText(lastEvent > 0, lag), channel.Events.Reader.Count, progress.Duplicates, progress.Reconnects);
                previous = published;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static string LagText(bool anyEvent, TimeSpan lag) =>
        !anyEvent ? "no lag yet"
        : lag > HistoricLag ? "historic events (a replay or backfill: no lag)"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lag {Math.Max(0, lag.TotalSeconds):0.0} s");
}
