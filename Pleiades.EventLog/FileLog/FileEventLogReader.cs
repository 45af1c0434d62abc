using Microsoft.Win32.SafeHandles;

namespace Pleiades.EventLog.FileLog;

/// <summary>
/// Reads a file log (the directory a <see cref="FileEventLogWriter"/> writes) from a position and follows it as it grows.
/// <para>API (stable; the Aggregator's file source and the Ingest's resume are built on it):</para>
/// <list type="bullet">
/// <item><c>new FileEventLogReader(directory, start)</c>: opens the log, creating its directory and identity when
/// the log does not exist yet (so an Aggregator may start before the Ingest). <c>start</c> is
/// <see cref="FileLogPosition.Start"/> or a <see cref="FileLogRecord.Next"/> stored earlier.</item>
/// <item><see cref="LogId"/> / <see cref="LogKey"/>: the log's identity; positions are stored under
/// <c>pleiades:positions:{LogKey}</c> (docs/redis-keys.md) with field <c>file</c>.</item>
/// <item><see cref="TryRead"/>: the next complete record, or false when there is none yet (never blocks).
/// <see cref="ReadBatch"/>: up to N records at once. <see cref="ReadAsync"/> / <see cref="ReadBatchAsync"/>: the same,
/// waiting (polling every <c>pollInterval</c>) until a record arrives.</item>
/// <item><see cref="Position"/>: where the next record starts; after reading record r it equals r.<see cref="FileLogRecord.Next"/>.</item>
/// <item><see cref="ReadLast"/>: the log's last complete record (the Ingest's resume point), or null for an empty log.</item>
/// </list>
/// Retention (<see cref="FileLogRetention"/>) deletes the oldest segments. A reader that starts at
/// <see cref="FileLogPosition.Start"/> begins at the oldest segment left; one whose position lies in a deleted segment
/// reports the records it missed to its <c>onGap</c> callback (a <see cref="FileLogGap"/>) and continues at the oldest
/// segment left; a position at the very end of a deleted segment lost nothing and moves on silently.
/// A torn record at the end of the newest segment (a writer killed mid-write) is never returned: the reader waits
/// there until the restarted writer truncates it and appends again. Damage inside a sealed segment throws
/// <see cref="InvalidDataException"/>. Records own their bytes. Not thread-safe: one reader per consumer loop.
/// </summary>
public sealed class FileEventLogReader : IDisposable
{
    private const int DefaultBufferSize = 256 * 1024;

    private readonly string _directory;
    private readonly TimeSpan _pollInterval;
    private readonly Action<FileLogGap>? _onGap;
    private byte[] _buffer = new byte[DefaultBufferSize];
    private long _bufferFileOffset;
    private int _bufferCount;
    private SafeFileHandle? _segmentHandle;
    private int _segment;
    private long _offset;

    /// <param name="directory">The log's directory.</param>
    /// <param name="start">Where to start reading.</param>
    /// <param name="pollInterval">How often the async reads look for new records at the end of the log (default 50 ms).</param>
    /// <param name="onGap">Told when the reader's position lies in segments retention deleted (see <see cref="FileLogGap"/>);
    /// the reader then continues at the oldest segment. Without it such a position throws <see cref="InvalidDataException"/>.</param>
    public FileEventLogReader(string directory, FileLogPosition start, TimeSpan? pollInterval = null, Action<FileLogGap>? onGap = null)
    {
        _directory = directory;
        _onGap = onGap;
        _pollInterval = pollInterval ?? TimeSpan.FromMilliseconds(50);
        LogId = FileLogIdentity.GetOrCreate(directory);
        _segment = start.Segment;
        _offset = start.Offset;
    }

    public Guid LogId { get; }

    /// <summary><c>file:{logGuid}</c>, the <c>{logId}</c> of docs/redis-keys.md.</summary>
    public string LogKey => FileLogIdentity.LogKey(LogId);

    /// <summary>Where the next record starts.</summary>
    public FileLogPosition Position => new(_segment, _offset);

    /// <summary>Reads the next complete record; false when the log holds none yet.</summary>
    public bool TryRead(out FileLogRecord record)
    {
        while (true)
        {
            if (!TryOpenSegment())
            {
                record = default;
                return false;
            }

            if (TryTakeRecord(out record))
            {
                return true;
            }

            // Whether a newer segment exists is checked BEFORE re-reading: the writer finishes a segment before
            // it creates the next, so a re-read after seeing the next segment sees all of this one. A segment that
            // retention deleted under the reader (its open handle still reads it) was sealed too, even when the
            // segments after it are gone as well.
            var isSealed = File.Exists(FileLogFormat.SegmentPath(_directory, _segment + 1))
                || !File.Exists(FileLogFormat.SegmentPath(_directory, _segment));
            var status = Refill();
            if (TryTakeRecord(out record))
            {
                return true;
            }

            if (!isSealed)
            {
                return false;
            }

            if (status == RecordStatus.Incomplete && _bufferCount == 0)
            {
                MoveToSegment(_segment + 1);
                continue;
            }

            throw new InvalidDataException($"{FileLogFormat.SegmentPath(_directory, _segment)} is damaged at offset {_offset} (a sealed segment never has a torn record)");
        }
    }

    /// <summary>Adds up to <paramref name="maxRecords"/> available records to <paramref name="records"/>; returns how many.</summary>
    public int ReadBatch(ICollection<FileLogRecord> records, int maxRecords)
    {
        var count = 0;
        while (count < maxRecords && TryRead(out var record))
        {
            records.Add(record);
            count++;
        }

        return count;
    }

    /// <summary>Waits for the next record.</summary>
    public async ValueTask<FileLogRecord> ReadAsync(CancellationToken cancellationToken = default)
    {
        FileLogRecord record;
        while (!TryRead(out record))
        {
            await Task.Delay(_pollInterval, cancellationToken);
        }

        return record;
    }

    /// <summary>Waits until at least one record is available, then adds up to <paramref name="maxRecords"/>; returns how many.</summary>
    public async ValueTask<int> ReadBatchAsync(ICollection<FileLogRecord> records, int maxRecords, CancellationToken cancellationToken = default)
    {
        int count;
        while ((count = ReadBatch(records, maxRecords)) == 0)
        {
            await Task.Delay(_pollInterval, cancellationToken);
        }

        return count;
    }

    /// <summary>The last complete record of the log in <paramref name="directory"/>, or null when it has none (or does not exist).</summary>
    public static FileLogRecord? ReadLast(string directory)
    {
        if (!FileLogIdentity.TryRead(directory, out _))
        {
            return null;
        }

        var segments = FileLogFormat.ListSegments(directory);
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            using var reader = new FileEventLogReader(directory, new FileLogPosition(segments[i], 0));
            FileLogRecord? last = null;
            while (reader.TryRead(out var record))
            {
                last = record;
            }

            if (last is not null)
            {
                return last;
            }
        }

        return null;
    }

    public void Dispose()
    {
        _segmentHandle?.Dispose();
        _segmentHandle = null;
    }

    /// <summary>Opens the current segment and checks its header; false while it does not exist (or its header is not written yet).</summary>
    private bool TryOpenSegment()
    {
        if (_segmentHandle is not null)
        {
            return true;
        }

        var path = FileLogFormat.SegmentPath(_directory, _segment);
        if (!File.Exists(path))
        {
            // Retention deleted the segment (and maybe more): the log now begins at its oldest segment.
            var segments = FileLogFormat.ListSegments(_directory);
            var oldest = segments.FindIndex(segment => segment > _segment);
            if (oldest < 0)
            {
                return false; // No later segment (yet).
            }

            SkipDeletedSegments(segments[oldest]);
            path = FileLogFormat.SegmentPath(_directory, _segment);
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[FileLogFormat.SegmentHeaderLength];
        if (RandomAccess.Read(handle, header, 0) < header.Length)
        {
            handle.Dispose();
            return false;
        }

        FileLogFormat.CheckSegmentHeader(header, LogId, path);
        _segmentHandle = handle;
        _offset = Math.Max(_offset, FileLogFormat.SegmentHeaderLength);
        _bufferCount = 0;
        return true;
    }

    /// <summary>Moves on to <paramref name="oldest"/>, reporting the records that were deleted before they were read.</summary>
    private void SkipDeletedSegments(int oldest)
    {
        var from = Position;
        var to = new FileLogPosition(oldest, FileLogFormat.SegmentHeaderLength);

        // A new reader starts at the oldest record there is, as Kafka's "earliest": nothing it had was lost.
        if (from != FileLogPosition.Start)
        {
            var lostBytes = LostBytes(from, oldest, FileLogDeletedSegments.ReadSizes(_directory));
            if (lostBytes != 0)
            {
                var gap = new FileLogGap(from, to, lostBytes);
                if (_onGap is null)
                {
                    throw new InvalidDataException($"position {from} points into segment {from.Segment}, which no longer exists (the log now begins at {to})");
                }

                _onGap(gap);
            }
        }

        MoveToSegment(oldest);
    }

    /// <summary>Bytes of records from <paramref name="from"/> to the start of <paramref name="oldest"/>; null when a deleted segment's size is not on record.</summary>
    private static long? LostBytes(FileLogPosition from, int oldest, Dictionary<int, long> deletedSizes)
    {
        long lost = 0;
        for (var segment = from.Segment; segment < oldest; segment++)
        {
            if (!deletedSizes.TryGetValue(segment, out var size))
            {
                return null;
            }

            var readFrom = segment == from.Segment ? Math.Max(from.Offset, FileLogFormat.SegmentHeaderLength) : FileLogFormat.SegmentHeaderLength;
            lost += Math.Max(0, size - readFrom);
        }

        return lost;
    }

    private void MoveToSegment(int segment)
    {
        _segmentHandle?.Dispose();
        _segmentHandle = null;
        _segment = segment;
        _offset = 0;
        _bufferCount = 0;
    }

    /// <summary>Takes the record at the current offset from the buffer, if the buffer holds all of it.</summary>
    private bool TryTakeRecord(out FileLogRecord record)
    {
        record = default;
        var start = _offset - _bufferFileOffset;
        if (start < 0 || start >= _bufferCount)
        {
            return false;
        }

        var available = _buffer.AsSpan((int)start, _bufferCount - (int)start);
        if (FileLogFormat.TryReadRecord(available, out var length, out var appended, out var id, out var data) != RecordStatus.Complete)
        {
            return false;
        }

        var idBytes = available[id];
        var dataBytes = available[data];
        var bytes = GC.AllocateUninitializedArray<byte>(idBytes.Length + dataBytes.Length);
        idBytes.CopyTo(bytes);
        dataBytes.CopyTo(bytes.AsSpan(idBytes.Length));
        var position = Position;
        _offset += length;
        record = new FileLogRecord(position, Position, appended, bytes.AsMemory(0, idBytes.Length), bytes.AsMemory(idBytes.Length));
        return true;
    }

    /// <summary>Reads the file from the current offset into the buffer (large enough for the record there); returns what it holds.</summary>
    private RecordStatus Refill()
    {
        var needed = _buffer.Length;
        while (true)
        {
            if (needed > _buffer.Length)
            {
                _buffer = new byte[needed];
            }

            _bufferFileOffset = _offset;
            _bufferCount = RandomAccess.Read(_segmentHandle!, _buffer, _offset);
            var status = FileLogFormat.TryReadRecord(_buffer.AsSpan(0, _bufferCount), out var length, out _, out _, out _);
            if (status == RecordStatus.Incomplete && length > _buffer.Length)
            {
                needed = length;
                continue;
            }

            return status;
        }
    }
}
