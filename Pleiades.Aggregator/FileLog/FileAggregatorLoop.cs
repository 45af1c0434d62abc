using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counting;
using Pleiades.EventLog;

namespace Pleiades.Aggregator.FileLog;

/// <summary>
/// The single-instance source over the Ingest's durable file log: tails it as it grows and applies batches with
/// the log position (field <c>file</c> of <c>pleiades:positions:file:{logGuid}</c>), resuming there on start.
/// </summary>
public sealed class FileAggregatorLoop(
    string directory,
    AggregatorOptions options,
    BatchCommitter committer,
    AggregatorMetrics metrics,
    IDeadLetterSink deadLetters,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ShutdownCommitTimeout = TimeSpan.FromSeconds(20);

    private readonly ILogger _logger = loggerFactory.CreateLogger<FileAggregatorLoop>();
    private readonly MalformedRecordLog _malformedLog = new(loggerFactory.CreateLogger<MalformedRecordLog>());

    /// <summary>The log this loop reads (<c>file:{logGuid}</c>), once opened.</summary>
    public string? LogId { get; private set; }

    /// <summary>Reads until <paramref name="stopping"/> (graceful: the batch is applied) or <paramref name="kill"/> (as a crash).</summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken kill = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, kill);
        var token = linked.Token;
        var logId = FileLogIdentity.LogKey(FileLogIdentity.GetOrCreate(directory));
        LogId = logId;
        var batch = new PendingBatch(logId, metrics, deadLetters, _malformedLog, time);
        var reader = await OpenAtStoredPositionAsync(batch, token);
        _logger.ReadingFileLog(directory, reader.Position.ToString(), RedisKeys.Positions(logId));
        var records = new List<FileLogRecord>(options.BatchMaxEvents);
        try
        {
            while (!token.IsCancellationRequested)
            {
                records.Clear();
                var count = reader.ReadBatch(records, options.BatchMaxEvents - batch.Records);
                foreach (var record in records)
                {
                    batch.Add(RedisKeys.FilePositionField, record.Position.ToInt64(), record.Next.ToInt64(), record.Data.Span);
                }

                if (batch.Records >= options.BatchMaxEvents || (batch.Records > 0 && batch.Age >= options.BatchMaxDelay))
                {
                    if (await committer.CommitAsync(batch, token) == BatchApplyResult.Stale)
                    {
                        // Another instance moved the position: the file source is single-instance, so follow the store.
                        reader.Dispose();
                        reader = await OpenAtStoredPositionAsync(batch, token);
                    }
                }
                else if (count == 0)
                {
                    await Task.Delay(PollInterval, time, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            reader.Dispose();
        }

        if (!kill.IsCancellationRequested)
        {
            using var timeout = new CancellationTokenSource(ShutdownCommitTimeout);
            try
            {
                await committer.CommitAsync(batch, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _logger.LastBatchNotApplied(ShutdownCommitTimeout);
            }

            deadLetters.Flush(TimeSpan.FromSeconds(5));
        }
    }

    private async Task<FileEventLogReader> OpenAtStoredPositionAsync(PendingBatch batch, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var stored = await committer.Store.ReadPositionsAsync(batch.LogId).WaitAsync(cancellationToken);
                var next = stored.TryGetValue(RedisKeys.FilePositionField, out var position) ? position : BatchPosition.None;
                batch.Discard();
                batch.SetStoredPosition(RedisKeys.FilePositionField, next);
                return new FileEventLogReader(directory, next == BatchPosition.None ? FileLogPosition.Start : FileLogPosition.FromInt64(next));
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                _logger.PositionsUnreadable(e.Message, delay);
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
