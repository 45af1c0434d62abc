using System.Diagnostics;
using Pleiades.EventLog.FileLog;
using Pleiades.Ingest.Telemetry;

namespace Pleiades.Ingest.Sink;

/// <summary>
/// Writes events to the durable file log: one batch, one flush (and fsync, by the log's policy). After an I/O
/// error (a full disk) the writer is reopened, which cuts off any half-written record; the records of the failed
/// batch that did reach the log are counted and skipped by the retry.
/// Retention (<see cref="FileLogRetention"/>) runs between acknowledged batches, never inside one (a retried batch
/// counts its records from where it began): when the log is opened, after a batch that sealed a segment, and after
/// the first batch once <see cref="FileLogRetentionOptions.RetentionCheckInterval"/> has passed.
/// </summary>
public sealed class FileLogPublisher(
    FileEventLogOptions options,
    FileLogRetention retention,
    TimeProvider time,
    IngestTelemetry telemetry,
    ILogger<FileLogPublisher> logger) : IEventPublisher
{
    private const int RecentMetaIds = 10_000;

    private FileEventLogWriter? _writer;
    private ITimer? _retentionTimer;
    private volatile bool _retentionDue;
    private int _retentionCheckedSegment = -1;
    private IReadOnlyList<IngestedEvent>? _batchInFlight;
    private FileLogPosition _batchStart;

    public string Name => "file";

    public Task<ResumePoint?> OpenAsync(CancellationToken cancellationToken)
    {
        telemetry.FilePublishErrors.Add(0, IngestTelemetry.WriteError);
        _writer = OpenWriter();
        var interval = retention.Options.RetentionCheckInterval;
        _retentionTimer ??= time.CreateTimer(_ => _retentionDue = true, null, interval, interval);
        var resumePoint = ReadResumePoint(_writer);

        // After the resume point was read: retention never deletes the active segment, but the last record may lie in the one before.
        ApplyRetention(_writer);
        return Task.FromResult(resumePoint);
    }

    private ResumePoint? ReadResumePoint(FileEventLogWriter writer)
    {
        if (writer.LastRecordAtOpen is not { } last)
        {
            return null;
        }

        var recent = new Queue<Guid>(RecentMetaIds);
        using (var reader = new FileEventLogReader(options.Directory, new FileLogPosition(last.Position.Segment, 0)))
        {
            while (reader.TryRead(out var record))
            {
                if (EventMetadata.Read(record.Data.Span).MetaId is { } metaId)
                {
                    if (recent.Count == RecentMetaIds)
                    {
                        recent.Dequeue();
                    }

                    recent.Enqueue(metaId);
                }
            }
        }

        var eventTime = EventMetadata.Read(last.Data.Span).TimeUnixMs;
        return new ResumePoint(last.Id, eventTime, recent, $"the file log in {options.Directory}");
    }

    public Task PublishAsync(IReadOnlyList<IngestedEvent> batch, ActivityContext read, CancellationToken cancellationToken)
    {
        // The file log's records have no room for trace context: the trace ends here (docs/ingest.md, "Traces").
        using var activity = telemetry.ActivitySource.StartActivity("file log publish", ActivityKind.Producer, read);
        activity?.SetTag("messaging.destination.name", options.Directory);
        activity?.SetTag("messaging.batch.message_count", batch.Count);
        var skip = 0;
        var retry = ReferenceEquals(batch, _batchInFlight);
        if (_writer is null)
        {
            _writer = OpenWriter();
            if (retry)
            {
                // Everything from where the batch's FIRST attempt began: earlier attempts may each have written some.
                skip = CountRecordsFrom(_batchStart);
            }
        }

        if (!retry)
        {
            _batchInFlight = batch;
            _batchStart = _writer.End;
        }

        try
        {
            for (var i = skip; i < batch.Count; i++)
            {
                _writer.Append(batch[i].Id.Span, batch[i].Data.Span);
            }

            _writer.Flush();
        }
        catch (IOException)
        {
            telemetry.FilePublishErrors.Add(1, IngestTelemetry.WriteError);
            _writer.Dispose();
            _writer = null;
            throw;
        }

        _batchInFlight = null;
        telemetry.FilePublishEvents.Add(batch.Count);
        if (_retentionDue || _writer.End.Segment != _retentionCheckedSegment)
        {
            ApplyRetention(_writer);
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _retentionTimer?.Dispose();
        _retentionTimer = null;
        _writer?.Dispose();
        _writer = null;
        return ValueTask.CompletedTask;
    }

    private FileEventLogWriter OpenWriter()
    {
        var writer = FileEventLogWriter.Open(options);
        if (writer.TornBytesDiscarded > 0)
        {
            logger.LogWarning("The file log in {Directory} ended in a torn record ({Bytes} bytes, from a kill or a full disk); it was cut off", options.Directory, writer.TornBytesDiscarded);
        }

        return writer;
    }

    private void ApplyRetention(FileEventLogWriter writer)
    {
        _retentionDue = false;
        _retentionCheckedSegment = writer.End.Segment;
        try
        {
            foreach (var deletion in retention.Apply(writer))
            {
                var why = deletion.Reason == FileLogRetentionReason.Age
                    ? $"its newest record is older than {retention.Options.RetentionHours} hours (EventLog:File:RetentionHours)"
                    : $"the log was larger than {retention.Options.RetentionBytes} bytes (EventLog:File:RetentionBytes)";
                IngestLog.SegmentDeleted(logger, deletion.Segment, options.Directory, deletion.Bytes, deletion.NewestRecord, why);
                var reason = new KeyValuePair<string, object?>("reason", deletion.Reason == FileLogRetentionReason.Age ? "age" : "size");
                telemetry.FileSegmentsDeleted.Add(1, reason);
                telemetry.FileBytesDeleted.Add(deletion.Bytes, reason);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The events are in the log either way; a segment left behind is deleted at the next check.
            IngestLog.RetentionFailed(logger, e, options.Directory);
        }
    }

    private int CountRecordsFrom(FileLogPosition start)
    {
        using var reader = new FileEventLogReader(options.Directory, start);
        var count = 0;
        while (reader.TryRead(out _))
        {
            count++;
        }

        return count;
    }
}
