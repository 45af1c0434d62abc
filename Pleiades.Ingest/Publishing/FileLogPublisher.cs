using Pleiades.EventLog;
using Pleiades.Ingest.Relay;

namespace Pleiades.Ingest.Publishing;

/// <summary>
/// Writes events to the durable file log: one batch, one flush (and fsync, by the log's policy). After an I/O
/// error (a full disk) the writer is reopened, which cuts off any half-written record; the records of the failed
/// batch that did reach the log are counted and skipped by the retry.
/// </summary>
public sealed class FileLogPublisher(FileEventLogOptions options, IngestTelemetry telemetry, ILogger<FileLogPublisher> logger) : IEventPublisher
{
    private const int RecentMetaIds = 10_000;

    private FileEventLogWriter? _writer;
    private IReadOnlyList<IngestedEvent>? _batchInFlight;
    private FileLogPosition _batchStart;

    public string Name => "file";

    public Task<ResumePoint?> OpenAsync(CancellationToken cancellationToken)
    {
        _writer = OpenWriter();
        if (_writer.LastRecordAtOpen is not { } last)
        {
            return Task.FromResult<ResumePoint?>(null);
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

        var time = EventMetadata.Read(last.Data.Span).TimeUnixMs;
        return Task.FromResult<ResumePoint?>(new ResumePoint(last.Id, time, recent, $"the file log in {options.Directory}"));
    }

    public Task PublishAsync(IReadOnlyList<IngestedEvent> batch, CancellationToken cancellationToken)
    {
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
            telemetry.FilePublishErrors.Add(1);
            _writer.Dispose();
            _writer = null;
            throw;
        }

        _batchInFlight = null;
        telemetry.FilePublishEvents.Add(batch.Count);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
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
