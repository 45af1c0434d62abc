using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Pleiades.EventLog.FileLog;

/// <summary>
/// The bytes of a file log (all integers little-endian).
/// <para>Directory: <c>log-id</c> (the log's identity, a GUID in text, written once when the log is created) and
/// segments <c>0000000000.seg</c>, <c>0000000001.seg</c>, ... A segment is never appended to once the next exists; its
/// modification time is then that of its newest record. Retention deletes the oldest segments, so the log is any
/// contiguous run of them, and records each deletion in <c>deleted-segments</c> (<see cref="FileLogDeletedSegments"/>).</para>
/// <para>Segment: a 24-byte header (<c>PLOGSEG1</c> and the log's GUID, so a segment copied from another log is
/// refused), then records back to back.</para>
/// <para>Record: <c>u32 bodyLength</c>, <c>u32 crc32c</c> (over the length field and the body), then the body:
/// <c>i64 appendedUnixMs</c>, <c>u32 idLength</c>, the id bytes, the data bytes. A record whose length or
/// checksum does not hold is a torn tail (a write cut short by a kill) or damage, never half an event.</para>
/// </summary>
internal static class FileLogFormat
{
    public const string IdentityFileName = "log-id";
    public const string SegmentExtension = ".seg";
    public const int SegmentHeaderLength = 24;
    public const int RecordHeaderLength = 8;
    public const int BodyFixedLength = 12;

    /// <summary>Longest record accepted (64 MiB); a larger length field can only be damage.</summary>
    public const int MaxBodyLength = 64 * 1024 * 1024;

    public static ReadOnlySpan<byte> SegmentMagic => "PLOGSEG1"u8;

    public static string SegmentPath(string directory, int segment) =>
        Path.Combine(directory, segment.ToString("D10", CultureInfo.InvariantCulture) + SegmentExtension);

    /// <summary>Segment numbers present in <paramref name="directory"/>, ascending.</summary>
    public static List<int> ListSegments(string directory)
    {
        var segments = new List<int>();
        if (!System.IO.Directory.Exists(directory))
        {
            return segments;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + SegmentExtension))
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                segments.Add(number);
            }
        }

        segments.Sort();
        return segments;
    }

    public static void WriteSegmentHeader(Span<byte> destination, Guid logId)
    {
        SegmentMagic.CopyTo(destination);
        logId.TryWriteBytes(destination[SegmentMagic.Length..]);
    }

    /// <summary>Checks a segment header; throws when the segment is not one of this log's.</summary>
    public static void CheckSegmentHeader(ReadOnlySpan<byte> header, Guid logId, string path)
    {
        if (!header.StartsWith(SegmentMagic))
        {
            throw new InvalidDataException($"{path} is not a Pleiades file log segment");
        }

        var owner = new Guid(header.Slice(SegmentMagic.Length, 16));
        if (owner != logId)
        {
            throw new InvalidDataException($"{path} belongs to file log {owner}, not to {logId} named by {IdentityFileName}");
        }
    }

    public static int RecordLength(int idLength, int dataLength) => RecordHeaderLength + BodyFixedLength + idLength + dataLength;

    /// <summary>Writes one record (header and body) to <paramref name="writer"/>.</summary>
    public static void WriteRecord(IBufferWriter<byte> writer, long appendedUnixMs, ReadOnlySpan<byte> id, ReadOnlySpan<byte> data)
    {
        var length = RecordLength(id.Length, data.Length);
        var record = writer.GetSpan(length)[..length];
        var bodyLength = length - RecordHeaderLength;
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)bodyLength);
        var body = record[RecordHeaderLength..];
        BinaryPrimitives.WriteInt64LittleEndian(body, appendedUnixMs);
        BinaryPrimitives.WriteUInt32LittleEndian(body[8..], (uint)id.Length);
        id.CopyTo(body[BodyFixedLength..]);
        data.CopyTo(body[(BodyFixedLength + id.Length)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Checksum(record[..4], body));
        writer.Advance(length);
    }

    /// <summary>Reads the record at the start of <paramref name="buffer"/>.</summary>
    /// <returns><see cref="RecordStatus.Incomplete"/> when more bytes are needed, <see cref="RecordStatus.Invalid"/> when the bytes are not a record.</returns>
    public static RecordStatus TryReadRecord(ReadOnlySpan<byte> buffer, out int recordLength, out long appendedUnixMs, out Range id, out Range data)
    {
        recordLength = 0;
        appendedUnixMs = 0;
        id = data = default;
        if (buffer.Length < RecordHeaderLength)
        {
            return RecordStatus.Incomplete;
        }

        var bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
        if (bodyLength is < BodyFixedLength or > MaxBodyLength)
        {
            return RecordStatus.Invalid;
        }

        recordLength = RecordHeaderLength + (int)bodyLength;
        if (buffer.Length < recordLength)
        {
            return RecordStatus.Incomplete;
        }

        var body = buffer.Slice(RecordHeaderLength, (int)bodyLength);
        if (BinaryPrimitives.ReadUInt32LittleEndian(buffer[4..]) != Checksum(buffer[..4], body))
        {
            return RecordStatus.Invalid;
        }

        var idLength = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        if (idLength > bodyLength - BodyFixedLength)
        {
            return RecordStatus.Invalid;
        }

        appendedUnixMs = BinaryPrimitives.ReadInt64LittleEndian(body);
        var idStart = RecordHeaderLength + BodyFixedLength;
        id = new Range(idStart, idStart + (int)idLength);
        data = new Range(idStart + (int)idLength, recordLength);
        return RecordStatus.Complete;
    }

    /// <summary>CRC-32C (Castagnoli), hardware-accelerated through <see cref="BitOperations.Crc32C(uint, ulong)"/>.</summary>
    public static uint Checksum(ReadOnlySpan<byte> lengthField, ReadOnlySpan<byte> body) =>
        ~Crc32C(Crc32C(uint.MaxValue, lengthField), body);

    private static uint Crc32C(uint crc, ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            bytes = bytes[8..];
        }

        foreach (var b in bytes)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}

/// <summary>What <see cref="FileLogFormat.TryReadRecord"/> found.</summary>
internal enum RecordStatus
{
    Complete,
    Incomplete,
    Invalid,
}
