using Pleiades.Aggregator.Source;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator;

/// <summary>Runs the configured <see cref="IAggregatorSource"/> for the host, restarting it (after a pause) when it fails.</summary>
internal sealed class AggregatorWorker(Func<IAggregatorSource> createSource, AggregatorMetrics metrics, ILogger<AggregatorWorker> logger) : BackgroundService
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var source = createSource();
            metrics.LoopStarted(source.Component);
            try
            {
                await source.RunAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // E.g. a fatal Kafka error or damage inside a sealed file log segment: say so, and try again rather than spin.
                logger.LoopFailed(e, source.Component, RestartDelay);
                metrics.LoopRestarted(source.Component);
                await Task.Delay(RestartDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
