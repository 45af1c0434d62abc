using Confluent.Kafka;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counters;
using Pleiades.EventLog.Kafka;

namespace Pleiades.Aggregator.Source.Kafka;

/// <summary>
/// One member of the Aggregator's consumer group: consumes the events topic in batches and applies each batch,
/// with its partitions' positions, in one Redis script. Offsets live in Redis (<c>pleiades:positions:{logId}</c>,
/// logId <c>kafka:{clusterId}:{topic}</c>): on every assignment the consumer seeks to them, so a crash, restart or
/// rebalance neither loses nor repeats a count. Offsets are also stored to Kafka, for lag tooling only.
/// </summary>
/// <remarks>The loop runs on one thread: librdkafka calls the rebalance handlers from inside <c>Consume</c>.</remarks>
public sealed class KafkaAggregatorLoop(
    KafkaSourceSettings settings, AggregatorOptions options, BatchPipelineFactory pipelines, ILoggerFactory loggerFactory, KafkaConnectionLog? connection = null)
    : IAggregatorSource
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaAggregatorLoop>();
    // Shared with the process's other Kafka clients (the dead-letter producer): one Warning per outage, not one per client.
    private readonly KafkaConnectionLog _connection = connection ?? new(loggerFactory.CreateLogger<KafkaAggregatorLoop>(), settings.BootstrapServers);
    private readonly KafkaConsumerLag _lag = new();
    private KafkaPartitionAssignment? _assignment;

    public string Component => "kafka-consumer";

    /// <summary>The log this loop reads, once connected.</summary>
    public string? LogId { get; private set; }

    /// <summary>How many partitions this member owns now.</summary>
    public int AssignedPartitions => _assignment?.Count ?? 0;

    /// <summary>
    /// Consumes until <paramref name="stopping"/> (graceful: the current batch is applied, then the group is left
    /// with <c>Close()</c>) or <paramref name="kill"/> (abrupt, as a crash: the batch is dropped, the group is not
    /// told). Runs on a dedicated thread: librdkafka calls are blocking.
    /// </summary>
    public Task RunAsync(CancellationToken stopping, CancellationToken kill = default) =>
        Task.Factory.StartNew(() => Run(stopping, kill), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stopping, CancellationToken kill)
    {
        using var run = new SourceRun(stopping, kill);
        using var consumer = BuildConsumer();
        var logId = KafkaClusterLogId.Resolve(consumer, settings, _connection, _logger, run.Reading);
        if (logId is null)
        {
            return;
        }

        LogId = logId;
        var pipeline = pipelines.Create(logId, BatchTraceSource.Kafka(settings.Topic));
        var continuity = new KafkaContinuity(settings.Topic, logId, pipelines.Losses, _logger);
        var assignment = new KafkaPartitionAssignment(pipeline, pipelines.Positions, continuity, _connection, _logger, run.Reading, run.Commits);
        _assignment = assignment;
        pipelines.Metrics.ObserveConsumerLag(() => _lag.Current);
        consumer.Subscribe(settings.Topic);
        _logger.Consuming(settings.Topic, settings.Group, RedisKeys.Positions(logId));

        var graceful = false;
        try
        {
            while (!run.Reading.IsCancellationRequested)
            {
                if (assignment.ResyncNeeded)
                {
                    assignment.Resync(consumer);
                }

                var result = consumer.Consume(NextWait(pipeline.Current));
                var batch = pipeline.Current;
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    _connection.Reachable();
                    continuity.Check(result.Partition.Value, result.Offset.Value, run.Reading);
                    batch.Add(KafkaPartitionName.Of(result.Partition.Value), result.Offset.Value, result.Offset.Value + 1, result.Message.Value);
                    // The Ingest puts its publish span's context on the first record of each partition run only.
                    if (result.Message.Headers is { Count: > 0 } headers)
                    {
                        batch.AddTraceContext(KafkaTraceContext.Extract(headers));
                    }
                }

                if (batch.IsDue(options))
                {
                    Send(consumer, pipeline, assignment, run.Commits);
                }
            }

            graceful = !run.Killed;
        }
        catch (OperationCanceledException) when (run.Reading.IsCancellationRequested)
        {
            graceful = !run.Killed;
        }
        finally
        {
            if (graceful)
            {
                run.FinishAsync(pipeline, pipelines, _logger).GetAwaiter().GetResult();
                consumer.Close();
                _logger.LeftGroup(settings.Group);
            }

            // Otherwise the consumer is disposed without Close(): the group notices after session.timeout.ms.
        }
    }

    private TimeSpan NextWait(PendingBatch batch)
    {
        if (batch.Records == 0)
        {
            return PollSlice;
        }

        var left = options.BatchMaxDelay - batch.Age;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < PollSlice ? left : PollSlice;
    }

    /// <summary>Sends the current batch (after the previous one is applied); a stale batch sends the loop back to the stored positions.</summary>
    private void Send(IConsumer<Ignore, byte[]> consumer, BatchPipeline pipeline, KafkaPartitionAssignment assignment, CancellationToken commits)
    {
        if (!pipeline.SendAsync(commits).GetAwaiter().GetResult())
        {
            assignment.RequestResync();
            return;
        }

        _lag.Update(consumer, pipeline);
    }

    private IConsumer<Ignore, byte[]> BuildConsumer()
    {
        var config = new ConsumerConfig(settings.ConsumerConfig.ToDictionary());
        KafkaConsumerDefaults.AddLoopSettings(config, settings);
        return new ConsumerBuilder<Ignore, byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => _assignment!.OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => _assignment!.OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => _assignment!.OnLost(partitions))
            .SetErrorHandler((_, error) => _connection.Error(error))
            .SetLogHandler((_, message) => _connection.Log(message))
            .Build();
    }
}
