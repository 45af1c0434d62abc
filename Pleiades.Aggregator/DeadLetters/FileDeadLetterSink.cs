using System.Text;
using System.Text.Json;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.DeadLetters;

/// <summary>
/// Appends malformed records of the file log to a JSON-lines file beside the log's directory
/// (<c>{dir}.deadletter.ndjson</c>), one object per record: why, where from, and the record itself
/// (as text when it is valid UTF-8, and always as base64 so nothing is lost).
/// </summary>
public sealed class FileDeadLetterSink(string path, AggregatorMetrics metrics, ILogger logger) : IDeadLetterSink
{
    private readonly Lock _gate = new();
    private FileStream? _stream;
    private int _failuresLogged;

    /// <summary>The dead-letter file of the file log in <paramref name="logDirectory"/>.</summary>
    public static string PathBeside(string logDirectory)
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(logDirectory));
        return full + ".deadletter.ndjson";
    }

    public string FilePath => path;

    public void Send(DeadLetter letter)
    {
        try
        {
            var line = Serialize(letter);
            lock (_gate)
            {
                _stream ??= new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                _stream.Write(line);
            }

            metrics.DeadLettered();
        }
        catch (IOException e)
        {
            Failed(e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            Failed(e.Message);
        }
    }

    public void Flush(TimeSpan timeout)
    {
        lock (_gate)
        {
            _stream?.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private static byte[] Serialize(DeadLetter letter)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("reason", letter.Reason.ToString());
            json.WriteString("field", letter.Field);
            json.WriteString("logId", letter.LogId);
            json.WriteString("partition", letter.Partition);
            json.WriteNumber("position", letter.Position);
            if (System.Text.Unicode.Utf8.IsValid(letter.Payload))
            {
                json.WriteString("payload", Encoding.UTF8.GetString(letter.Payload));
            }

            json.WriteBase64String("payloadBase64", letter.Payload);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private void Failed(string reason)
    {
        metrics.DeadLetterFailed();
        if (Interlocked.Increment(ref _failuresLogged) <= 5)
        {
            logger.DeadLetterFailed(path, reason);
        }
    }
}
