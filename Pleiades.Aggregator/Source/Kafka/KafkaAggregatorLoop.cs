using System.Diagnostics.Metrics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Losses;
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
    private static readonly TimeSpan ShutdownCommitTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RevokeCommitTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaAggregatorLoop>();
    // Shared with the process's other Kafka clients (the dead-letter producer): one Warning per outage, not one per client.
    private readonly KafkaConnectionLog _connection = connection ?? new(loggerFactory.CreateLogger<KafkaAggregatorLoop>(), settings.BootstrapServers);
    private readonly List<string> _partitionNames = [];

    // The offset each partition's next message must have; a message further on means the ones between are gone.
    private readonly Dictionary<int, long> _expectedOffsets = [];
    private IConsumer<Ignore, byte[]>? _consumer;
    private BatchPipeline? _pipeline;
    private bool _resyncNeeded;
    private CancellationToken _stopping;
    private CancellationTokenSource? _commitAbort;
    private volatile Measurement<long>[] _lag = [];
    private volatile int _assignedPartitions;

    public string Component => "kafka-consumer";

    /// <summary>The log this loop reads, once connected.</summary>
    public string? LogId { get; private set; }

    /// <summary>How many partitions this member owns now.</summary>
    public int AssignedPartitions => _assignedPartitions;

    /// <summary>
    /// Consumes until <paramref name="stopping"/> (graceful: the current batch is applied, then the group is left
    /// with <c>Close()</c>) or <paramref name="kill"/> (abrupt, as a crash: the batch is dropped, the group is not
    /// told). Runs on a dedicated thread: librdkafka calls are blocking.
    /// </summary>
    public Task RunAsync(CancellationToken stopping, CancellationToken kill = default) =>
        Task.Factory.StartNew(() => Run(stopping, kill), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stopping, CancellationToken kill)
    {
        using var stoppingOrKilled = CancellationTokenSource.CreateLinkedTokenSource(stopping, kill);
        _stopping = stoppingOrKilled.Token;
        // Batches already sent keep retrying after a graceful stop, for a while; a kill ends them at once.
        using var commitAbort = CancellationTokenSource.CreateLinkedTokenSource(kill);
        _commitAbort = commitAbort;
        using var stopDeadline = stopping.Register(() => commitAbort.CancelAfter(ShutdownCommitTimeout));
        using var consumer = BuildConsumer();
        _consumer = consumer;
        var logId = ResolveLogId(consumer);
        if (logId is null)
        {
            return;
        }

        LogId = logId;
        _pipeline = pipelines.Create(logId);
        pipelines.Metrics.ObserveConsumerLag(() => _lag);
        consumer.Subscribe(settings.Topic);
        _logger.Consuming(settings.Topic, settings.Group, RedisKeys.Positions(logId));

        var graceful = false;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (_resyncNeeded)
                {
                    Resync();
                }

                var result = consumer.Consume(NextWait());
                var batch = _pipeline.Current;
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    _connection.Reachable();
                    CheckContinuity(result.Partition.Value, result.Offset.Value);
                    batch.Add(PartitionName(result.Partition.Value), result.Offset.Value, result.Offset.Value + 1, result.Message.Value);
                }

                if (batch.Records >= options.BatchMaxEvents || (batch.Records > 0 && batch.Age >= options.BatchMaxDelay))
                {
                    Send();
                }
            }

            graceful = !kill.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            graceful = !kill.IsCancellationRequested;
        }
        finally
        {
            if (graceful)
            {
                Shutdown(consumer);
            }

            // Otherwise the consumer is disposed without Close(): the group notices after session.timeout.ms.
            _consumer = null;
        }
    }

    /// <summary>
    /// Offsets of a partition are consecutive (the Ingest's producer is idempotent, never transactional, and the topic
    /// is not compacted): a message past the expected offset means the broker no longer had those in between when
    /// this reader asked (retention passed it by, or the embedded broker dropped them; librdkafka then resets to the
    /// earliest offset). They can never be counted: say so loudly, count it, and record it for the site.
    /// </summary>
    private void CheckContinuity(int partition, long offset)
    {
        if (_expectedOffsets.TryGetValue(partition, out var expected) && offset > expected)
        {
            var lost = offset - expected;
            var description = string.Create(CultureInfo.InvariantCulture,
                $"{lost} events of {settings.Topic} partition {partition} (offsets {expected} to {offset - 1}) were gone from the broker before they were counted");
            _logger.KafkaGap(description, offset);
            var gap = new LogGap(LogId!, PartitionName(partition), expected, offset, lost, null, description);
            pipelines.Losses.ReportAsync(gap, LossReporter.KafkaSource, _stopping).GetAwaiter().GetResult();
        }

        _expectedOffsets[partition] = offset + 1;
    }

    /// <summary>Where counting of <paramref name="partition"/> resumes: the stored position, or offset 0 when nothing of it was ever counted.</summary>
    private void ExpectFrom(int partition, long next) => _expectedOffsets[partition] = next == BatchPosition.None ? 0 : next;

    private void Shutdown(IConsumer<Ignore, byte[]> consumer)
    {
        try
        {
            _pipeline!.FlushAsync(_commitAbort!.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            _logger.LastBatchNotApplied(ShutdownCommitTimeout);
        }

        pipelines.DeadLetters.Flush(TimeSpan.FromSeconds(5));
        consumer.Close();
        _logger.LeftGroup(settings.Group);
    }

    private TimeSpan NextWait()
    {
        var batch = _pipeline!.Current;
        if (batch.Records == 0)
        {
            return PollSlice;
        }

        var left = options.BatchMaxDelay - batch.Age;
        return left <= TimeSpan.Zero ? TimeSpan.Zero : left < PollSlice ? left : PollSlice;
    }

    /// <summary>Sends the current batch (after the previous one is applied); a stale batch sends the loop back to the stored positions.</summary>
    private void Send()
    {
        if (!_pipeline!.SendAsync(_commitAbort!.Token).GetAwaiter().GetResult())
        {
            _resyncNeeded = true;
            return;
        }

        StoreOffsetsForTooling();
        UpdateLag();
    }

    /// <summary>Stores the positions sent so far as Kafka offsets, for lag tooling only: Redis holds the ones that count.</summary>
    private void StoreOffsetsForTooling()
    {
        foreach (var partition in _consumer!.Assignment)
        {
            if (_pipeline!.StoredPositions.TryGetValue(PartitionName(partition.Partition.Value), out var next) && next >= 0)
            {
                try
                {
                    _consumer.StoreOffset(new TopicPartitionOffset(partition, next));
                }
                catch (KafkaException)
                {
                    // The partition is being revoked.
                }
            }
        }
    }

    private void UpdateLag()
    {
        var consumer = _consumer!;
        var lag = new List<Measurement<long>>();
        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High;
            if (high.IsSpecial || !_pipeline!.StoredPositions.TryGetValue(PartitionName(partition.Partition.Value), out var next))
            {
                continue;
            }

            lag.Add(new Measurement<long>(Math.Max(0, high.Value - Math.Max(0, next)), new KeyValuePair<string, object?>("partition", partition.Partition.Value)));
        }

        _lag = [.. lag];
    }

    private IConsumer<Ignore, byte[]> BuildConsumer()
    {
        var config = new ConsumerConfig(settings.ConsumerConfig.ToDictionary());
        AddLoopSettings(config, settings);
        return new ConsumerBuilder<Ignore, byte[]>(config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetErrorHandler((_, error) => _connection.Error(error))
            .SetLogHandler((_, message) => _connection.Log(message))
            .Build();
    }

    /// <summary>
    /// Adds to the user's consumer <paramref name="config"/> what the loop needs (its brokers, group and offset handling)
    /// and its defaults; <see cref="KafkaSourceSettings.Problems"/> asks librdkafka about the result at start.
    /// </summary>
    public static void AddLoopSettings(ConsumerConfig config, KafkaSourceSettings settings)
    {
        config.BootstrapServers = settings.BootstrapServers;
        config.GroupId = settings.Group;
        // Positions come from Redis on every assignment; Kafka's committed offsets are informational only.
        config.EnableAutoCommit = true;
        config.EnableAutoOffsetStore = false;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.EnablePartitionEof = false;
        // Incremental rebalances: a member keeps consuming the partitions it keeps while others move. The consumer
        // protocol (KIP-848, group.protocol=consumer, Kafka 4.0+) is incremental by design, assigns on the broker and
        // refuses this setting, which made every Aggregator fail to start with it (BENCHMARKS.md, "Rebalances").
        if (config.GroupProtocol != GroupProtocol.Consumer)
        {
            config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        }

        // The loop reads only each message's value, partition and offset: leaving the headers, topic name and
        // timestamp in librdkafka saves marshalling and allocating them for every message (BENCHMARKS.md).
        if (config.Get(ConfigPropertyNames.Consumer.ConsumeResultFields) is null)
        {
            config.ConsumeResultFields = "none";
        }

        // librdkafka prefetches up to 64 MiB by default, most of the process's native memory. A partition whose
        // prefetch is full is not fetched again for fetch.queue.backoff.ms, 1 s by default, so a small prefetch alone
        // leaves the loop waiting most of that second; with a 20 ms backoff, 8 MiB keeps up at less memory than the
        // defaults (docs/performance-notes.md, "Prefetch and its backoff").
        config.QueuedMaxMessagesKbytes ??= 8 * 1024;
        config.FetchQueueBackoffMs ??= 20;
    }

    /// <summary>The log's identity: the cluster id the brokers report, and the topic.</summary>
    private string? ResolveLogId(IConsumer<Ignore, byte[]> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var delay = TimeSpan.FromMilliseconds(200);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var cluster = admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = TimeSpan.FromSeconds(10) })
                    .WaitAsync(_stopping).GetAwaiter().GetResult();
                if (string.IsNullOrEmpty(cluster.ClusterId))
                {
                    throw new KafkaException(new Error(ErrorCode.Local_Fail, "the brokers reported no cluster id"));
                }

                _connection.Reachable();
                return RedisKeys.KafkaLogId(cluster.ClusterId, settings.Topic);
            }
            catch (KafkaException e) when (_connection.IsDown)
            {
                // Already said: the broker is unreachable.
                _logger.LogDebug("Kafka did not describe its cluster ({Reason}); retrying in {Delay}.", e.Error.Reason, delay);
            }
            catch (KafkaException e)
            {
                _logger.NoClusterId(settings.BootstrapServers, e.Error.Reason, delay);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            _stopping.WaitHandle.WaitOne(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }

        return null;
    }

    private List<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        _connection.Reachable();
        var stored = ReadStoredPositions();
        var offsets = new List<TopicPartitionOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var name = PartitionName(partition.Partition.Value);
            var next = stored.TryGetValue(name, out var position) ? position : BatchPosition.None;
            _pipeline!.SetStoredPosition(name, next);
            ExpectFrom(partition.Partition.Value, next);
            offsets.Add(new TopicPartitionOffset(partition, next == BatchPosition.None ? Offset.Beginning : new Offset(next)));
        }

        _assignedPartitions += partitions.Count;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.Assigned(string.Join(",", partitions.Select(p => p.Partition.Value)), string.Join(",", offsets.Select(o => o.Offset)));
        }

        return offsets;
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        var pipeline = _pipeline!;
        if (partitions.Any(p => pipeline.Holds(PartitionName(p.Partition.Value))))
        {
            // Hand the partitions over with their counts applied, so the next owner starts where this one stopped.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_commitAbort!.Token);
            timeout.CancelAfter(RevokeCommitTimeout);
            bool flushed;
            try
            {
                flushed = pipeline.FlushAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                _logger.RevokeCommitFailed();
                flushed = false;
            }

            if (!flushed)
            {
                pipeline.DiscardCurrent();
                _resyncNeeded = true;
            }
        }

        foreach (var partition in partitions)
        {
            pipeline.ForgetPartition(PartitionName(partition.Partition.Value));
            _expectedOffsets.Remove(partition.Partition.Value);
        }

        _assignedPartitions -= partitions.Count;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.Revoked(string.Join(",", partitions.Select(p => p.Partition.Value)));
        }
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        // Another member may own them now: what is not yet sent is no longer ours to apply. Read again what is left.
        var pipeline = _pipeline!;
        pipeline.DiscardCurrent();
        foreach (var partition in partitions)
        {
            pipeline.ForgetPartition(PartitionName(partition.Partition.Value));
            _expectedOffsets.Remove(partition.Partition.Value);
        }

        _assignedPartitions -= partitions.Count;
        _resyncNeeded = true;
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            _logger.Lost(string.Join(",", partitions.Select(p => p.Partition.Value)));
        }
    }

    /// <summary>Goes back to the stored positions of every partition still assigned (after a stale or dropped batch).</summary>
    private void Resync()
    {
        var consumer = _consumer!;
        var pipeline = _pipeline!;
        try
        {
            // Whatever is in flight settles first, so the positions read below include it.
            pipeline.WaitAsync().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // Its retries were given up; Redis says where things stand.
        }

        pipeline.DiscardCurrent();
        var stored = ReadStoredPositions();
        try
        {
            foreach (var partition in consumer.Assignment)
            {
                var name = PartitionName(partition.Partition.Value);
                var next = stored.TryGetValue(name, out var position) ? position : BatchPosition.None;
                pipeline.SetStoredPosition(name, next);
                ExpectFrom(partition.Partition.Value, next);
                consumer.Seek(new TopicPartitionOffset(partition, next == BatchPosition.None ? Offset.Beginning : new Offset(next)));
            }

            _resyncNeeded = false;
        }
        catch (KafkaException e)
        {
            // A partition may not be fetching yet; try again on the next round.
            _logger.SeekFailed(e.Error.Reason);
        }
    }

    private Dictionary<string, long> ReadStoredPositions()
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return pipelines.Store.ReadPositionsAsync(_pipeline!.LogId).WaitAsync(_stopping).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                _logger.PositionsUnreadable(e.Message, delay);
                _stopping.ThrowIfCancellationRequested();
                _stopping.WaitHandle.WaitOne(delay);
                _stopping.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }


    private string PartitionName(int partition)
    {
        while (_partitionNames.Count <= partition)
        {
            _partitionNames.Add(_partitionNames.Count.ToString(CultureInfo.InvariantCulture));
        }

        return _partitionNames[partition];
    }
}
