namespace Pleiades.EventLog.FileLog;

/// <summary>One event as the file log holds it.</summary>
/// <param name="Position">Where the record starts.</param>
/// <param name="Next">Where the record after it starts: the position to store once this record has been processed.</param>
/// <param name="AppendedUnixMs">Wall-clock time the Ingest appended it (ms since the epoch), for lag metrics.</param>
/// <param name="Id">The SSE id as received (UTF-8; EventStreams sends a JSON array).</param>
/// <param name="Data">The event's JSON exactly as received.</param>
public readonly record struct FileLogRecord(
    FileLogPosition Position,
    FileLogPosition Next,
    long AppendedUnixMs,
    ReadOnlyMemory<byte> Id,
    ReadOnlyMemory<byte> Data);
