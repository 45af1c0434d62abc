using System.Buffers;

namespace Pleiades.EventLog.FileLog;

/// <summary>
/// Appends events to a file log (format: <see cref="FileLogFormat"/>). Opening recovers the log: the newest
/// segment is checked record by record and a torn tail (a write cut short by a kill, or by a full disk) is cut
/// off, so readers never see half an event. Appends are buffered; <see cref="Flush"/> hands them to the OS and
/// fsyncs as <see cref="FileEventLogOptions.Fsync"/> says. Only events whose flush returned are acknowledged.
/// One writer per log (an exclusive lock file enforces it); not thread-safe. After an I/O error the writer is
/// faulted: dispose it and open a new one, which recovers the tail.
/// </summary>
public sealed class FileEventLogWriter : IDisposable
{
    private const string LockFileName = "writer.lock";
    private const int WriteThreshold = 1024 * 1024;

    private readonly FileEventLogOptions _options;
    private readonly TimeProvider _time;
    private readonly FileStream _lock;
    private readonly ArrayBufferWriter<byte> _pending = new(WriteThreshold + 64 * 1024);
    private FileStream _segmentStream;
    private int _segment;
    private long _segmentLength;
    private long _lastFsyncTimestamp;
    private long _lastAppendedUnixMs;
    private bool _unsynced;
    private bool _faulted;

    private FileEventLogWriter(FileEventLogOptions options, TimeProvider time, FileStream lockFile, Guid logId)
    {
        _options = options;
        _time = time;
        _lock = lockFile;
        LogId = logId;
        _lastFsyncTimestamp = time.GetTimestamp();
        _segmentStream = null!;
    }

    public Guid LogId { get; }

    public string Directory => _options.Directory;

    /// <summary>The log's last record when it was opened (the Ingest's resume point), or null for an empty log.</summary>
    public FileLogRecord? LastRecordAtOpen { get; private set; }

    /// <summary>Bytes of a torn tail cut off when the log was opened (0 after a clean shutdown).</summary>
    public long TornBytesDiscarded { get; private set; }

    /// <summary>Where the next appended record will start.</summary>
    public FileLogPosition End => new(_segment, _segmentLength + _pending.WrittenCount);

    /// <summary>Opens (creating when needed) the log in <see cref="FileEventLogOptions.Directory"/> and recovers its tail.</summary>
    public static FileEventLogWriter Open(FileEventLogOptions options, TimeProvider? time = null)
    {
        var logId = FileLogIdentity.GetOrCreate(options.Directory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(options.Directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"another writer holds the file log in {options.Directory}", e);
        }

        var writer = new FileEventLogWriter(options, time ?? TimeProvider.System, lockFile, logId);
        try
        {
            writer.Recover();
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Buffers one record; returns its position. It reaches the log at the next <see cref="Flush"/> (or sooner).</summary>
    public FileLogPosition Append(ReadOnlySpan<byte> id, ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_faulted, this);
        var length = FileLogFormat.RecordLength(id.Length, data.Length);
        if (length - FileLogFormat.RecordHeaderLength > FileLogFormat.MaxBodyLength)
        {
            throw new ArgumentException($"an event of {data.Length} bytes is larger than a file log record may be", nameof(data));
        }

        if (End.Offset + length > _options.SegmentBytes && End.Offset > FileLogFormat.SegmentHeaderLength)
        {
            Guarded(SealAndBeginNextSegment);
        }

        var position = End;
        _lastAppendedUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        FileLogFormat.WriteRecord(_pending, _lastAppendedUnixMs, id, data);
        if (_pending.WrittenCount >= WriteThreshold)
        {
            Guarded(WritePending);
        }

        return position;
    }

    /// <summary>Hands everything appended to the OS (a kill can no longer lose it) and fsyncs as the policy says.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_faulted, this);
        Guarded(() =>
        {
            WritePending();
            var fsync = _options.Fsync switch
            {
                FileLogFsyncPolicy.EveryFlush => _unsynced,
                FileLogFsyncPolicy.Interval => _unsynced && _time.GetElapsedTime(_lastFsyncTimestamp) >= _options.FsyncInterval,
                _ => false,
            };
            if (fsync)
            {
                Fsync();
            }
        });
    }

    public void Dispose()
    {
        if (!_faulted && _segmentStream is not null)
        {
            try
            {
                WritePending();
                if (_options.Fsync != FileLogFsyncPolicy.Never)
                {
                    Fsync();
                }
            }
            catch (IOException)
            {
                // The next writer's recovery cuts off whatever half-record this left.
            }
        }

        _faulted = true;
        _segmentStream?.Dispose();
        _lock.Dispose();
    }

    private void Recover()
    {
        var segments = FileLogFormat.ListSegments(Directory);
        if (segments.Count == 0)
        {
            CreateSegment(0);
            return;
        }

        _segment = segments[^1];
        var path = FileLogFormat.SegmentPath(Directory, _segment);
        var fileLength = new FileInfo(path).Length;
        if (fileLength < FileLogFormat.SegmentHeaderLength)
        {
            // Killed while creating the segment: begin it again.
            TornBytesDiscarded = fileLength;
            File.Delete(path);
            CreateSegment(_segment);
        }
        else
        {
            long validEnd;
            using (var scan = new FileEventLogReader(Directory, new FileLogPosition(_segment, 0)))
            {
                while (scan.TryRead(out var record))
                {
                    LastRecordAtOpen = record;
                }

                validEnd = scan.Position.Offset;
            }

            _segmentStream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
            if (fileLength > validEnd)
            {
                TornBytesDiscarded = fileLength - validEnd;
                _segmentStream.SetLength(validEnd);
                _segmentStream.Flush(flushToDisk: true);
            }

            _segmentStream.Position = validEnd;
            _segmentLength = validEnd;
        }

        LastRecordAtOpen ??= FileEventLogReader.ReadLast(Directory);
        _lastAppendedUnixMs = LastRecordAtOpen?.AppendedUnixMs ?? 0;
    }

    private void CreateSegment(int segment)
    {
        var path = FileLogFormat.SegmentPath(Directory, segment);
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        Span<byte> header = stackalloc byte[FileLogFormat.SegmentHeaderLength];
        FileLogFormat.WriteSegmentHeader(header, LogId);
        stream.Write(header);
        stream.Flush(flushToDisk: true);
        _segmentStream = stream;
        _segment = segment;
        _segmentLength = header.Length;
    }

    private void SealAndBeginNextSegment()
    {
        WritePending();

        // The segment's age for retention (FileLogRetention): a directory listing then tells it without reading the file.
        File.SetLastWriteTimeUtc(_segmentStream.SafeFileHandle, DateTimeOffset.FromUnixTimeMilliseconds(_lastAppendedUnixMs).UtcDateTime);
        Fsync();
        _segmentStream.Dispose();
        CreateSegment(_segment + 1);
    }

    private void WritePending()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        _segmentStream.Write(_pending.WrittenSpan);
        _segmentLength += _pending.WrittenCount;
        _pending.ResetWrittenCount();
        _unsynced = true;
    }

    private void Fsync()
    {
        _segmentStream.Flush(flushToDisk: true);
        _unsynced = false;
        _lastFsyncTimestamp = _time.GetTimestamp();
    }

    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (IOException)
        {
            _faulted = true;
            throw;
        }
    }
}
