using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Losses;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counters;
using Pleiades.EventLog.FileLog;

namespace Pleiades.Aggregator.Source.FileLog;

/// <summary>
/// The single-instance source over the Ingest's durable file log: tails it as it grows and applies batches with
/// the log position (field <c>file</c> of <c>pleiades:positions:file:{logGuid}</c>), resuming there on start.
/// </summary>
public sealed class FileAggregatorLoop(string directory, AggregatorOptions options, BatchPipelineFactory pipelines, ILoggerFactory loggerFactory)
    : IAggregatorSource
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly ILogger _logger = loggerFactory.CreateLogger<FileAggregatorLoop>();
    private readonly List<LogGap> _gaps = [];

    public string Component => "file-log";

    /// <summary>The log this loop reads (<c>file:{logGuid}</c>), once opened.</summary>
    public string? LogId { get; private set; }

    /// <summary>Reads until <paramref name="stopping"/> (graceful: the batch is applied) or <paramref name="kill"/> (as a crash).</summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken kill = default)
    {
        using var run = new SourceRun(stopping, kill);
        var token = run.Reading;
        var logId = FileLogIdentity.LogKey(FileLogIdentity.GetOrCreate(directory));
        LogId = logId;
        // The file log keeps no headers: each batch's span starts a trace of its own (docs/aggregator.md, "Traces").
        var pipeline = pipelines.Create(logId, BatchTraceSource.FileLog(directory));
        var reader = await OpenAtStoredPositionAsync(pipeline, token);
        _logger.ReadingFileLog(directory, reader.Position.ToString(), RedisKeys.Positions(logId));
        var records = new List<FileLogRecord>(options.BatchMaxEvents);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var batch = pipeline.Current;
                records.Clear();
                var count = reader.ReadBatch(records, options.BatchMaxEvents - batch.Records);
                foreach (var gap in _gaps)
                {
                    await pipelines.Losses.ReportAsync(gap, LossReporter.FileSource, token);
                }

                _gaps.Clear();
                foreach (var record in records)
                {
                    batch.Add(RedisKeys.FilePositionField, record.Position.ToInt64(), record.Next.ToInt64(), record.Data.Span);
                }

                if (batch.IsDue(options))
                {
                    if (!await pipeline.SendAsync(run.Commits))
                    {
                        // Another instance moved the position: the file source is single-instance, so follow the store.
                        reader.Dispose();
                        reader = await OpenAtStoredPositionAsync(pipeline, token);
                    }
                }
                else if (count == 0)
                {
                    await Task.Delay(PollInterval, pipelines.Time, token);
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

        if (!run.Killed)
        {
            await run.FinishAsync(pipeline, pipelines, _logger);
        }
    }

    /// <summary>Retention deleted records before they were read: they can never be counted, so say exactly which, loudly.</summary>
    private void ReportGap(FileLogGap gap)
    {
        var lost = gap.LostBytes is { } bytes
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} bytes")
            : "an unknown number of bytes (segments removed by hand)";
        _logger.FileLogGap(lost, gap.Segments, gap.From.ToString(), gap.To.ToString());
        pipelines.Metrics.FileLogGap(gap.LostBytes);
        // Recorded in Redis by the loop, after the read that found it: this is called from inside the reader.
        _gaps.Add(new LogGap(LogId!, RedisKeys.FilePositionField, gap.From.ToInt64(), gap.To.ToInt64(), null, gap.LostBytes,
            $"the file log's retention deleted {lost} of events in {gap.Segments} segments before they were counted (positions {gap.From} to {gap.To}); raise EventLog:File:RetentionHours / RetentionBytes"));
    }

    private async Task<FileEventLogReader> OpenAtStoredPositionAsync(BatchPipeline pipeline, CancellationToken cancellationToken)
    {
        var stored = await pipelines.Positions.ReadAfterInFlightAsync(pipeline, cancellationToken);
        var next = pipeline.ResumeFrom(RedisKeys.FilePositionField, stored);
        return new FileEventLogReader(directory, next == BatchPosition.None ? FileLogPosition.Start : FileLogPosition.FromInt64(next), onGap: ReportGap);
    }
}
