using BenchmarkDotNet.Attributes;
using Pleiades.EventLog.FileLog;

namespace Pleiades.Benchmarks.Micro;

/// <summary>
/// The durable file log, per event: appending 10,000 events then flushing (with the default fsync on every flush,
/// as the Ingest does per batch), and reading them back from the start of a log in batches of 5,000 (the Aggregator's).
/// </summary>
[Config(typeof(MicroConfig))]
public class FileLogBenchmarks
{
    private const int ReadBatch = 5_000;

    private readonly List<FileLogRecord> _records = new(ReadBatch);
    private string _root = "";
    private FileEventLogWriter? _writer;
    private string _readDirectory = "";
    private byte[][] _ids = [];

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("pleiades-bench-filelog-").FullName;
        _ids = [.. Enumerable.Range(0, BenchmarkInput.Count).Select(i => BenchmarkInput.SseId(i))];
        _writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = Path.Combine(_root, "append") });
        _readDirectory = Path.Combine(_root, "read");
        using var writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = _readDirectory });
        AppendAll(writer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public void AppendAndFlush() => AppendAll(_writer!);

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public int ReadFromStart()
    {
        using var reader = new FileEventLogReader(_readDirectory, FileLogPosition.Start);
        var read = 0;
        int got;
        do
        {
            _records.Clear();
            got = reader.ReadBatch(_records, ReadBatch);
            read += got;
        }
        while (got > 0);

        return read;
    }

    private void AppendAll(FileEventLogWriter writer)
    {
        var events = BenchmarkInput.Events;
        for (var i = 0; i < events.Length; i++)
        {
            writer.Append(_ids[i], events[i]);
        }

        writer.Flush();
    }
}
