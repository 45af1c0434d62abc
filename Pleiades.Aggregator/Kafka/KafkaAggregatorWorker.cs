using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Kafka;

/// <summary>Runs the <see cref="KafkaAggregatorLoop"/> for the host, restarting it (with a pause) if it fails.</summary>
internal sealed class KafkaAggregatorWorker(Func<KafkaAggregatorLoop> createLoop, AggregatorMetrics metrics, ILogger<KafkaAggregatorWorker> logger) : BackgroundService
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
                logger.LoopFailed(e, "kafka-consumer", RestartDelay);
                metrics.LoopRestarted("kafka-consumer");
                await Task.Delay(RestartDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
