using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.FileLog;

/// <summary>Runs the <see cref="FileAggregatorLoop"/> for the host, restarting it (with a pause) if it fails.</summary>
internal sealed class FileAggregatorWorker(Func<FileAggregatorLoop> createLoop, AggregatorMetrics metrics, ILogger<FileAggregatorWorker> logger) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await createLoop().RunAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // E.g. damage inside a sealed segment: say so loudly, and try again rather than spin.
                logger.LoopFailed(e, "file-log", RestartDelay);
                metrics.LoopRestarted("file-log");
                await Task.Delay(RestartDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
