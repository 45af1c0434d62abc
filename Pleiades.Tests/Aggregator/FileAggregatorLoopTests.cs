using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pleiades.Aggregator;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Source.FileLog;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counters;
using Pleiades.EventLog.FileLog;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.FileLog;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

[Trait("Category", "Integration")]
public sealed class FileAggregatorLoopTests(GarnetServer server) : IClassFixture<GarnetServer>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("pleiades-filelog-").FullName, "events");
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tails_the_file_log_through_kills_and_restarts_counting_each_event_once()
    {
        await server.FlushAsync();
        var events = RealSamples.Lines(RealSamples.WikidataReverts2018).Concat(RealSamples.Lines(RealSamples.Enwiki2023)).ToList();
        var chunks = events.Chunk(events.Count / 3 + 1).ToList();
        using var writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = _directory });
        var logId = FileLogIdentity.LogKey(writer.LogId);

        Append(writer, chunks[0].Take(200));
        Append(writer, [Encoding.UTF8.GetBytes("{\"broken\":"), Encoding.UTF8.GetBytes("""{"wiki":"enwiki"}""")]);
        Append(writer, chunks[0].Skip(200));
        var first = Start();
        await WaitForPositionAsync(logId, writer.End);

        // Killed while the Ingest keeps appending: whatever it had in memory is read again after the restart.
        Append(writer, chunks[1]);
        await first.KillAsync();
        var second = Start();
        Append(writer, chunks[2]);
        await WaitForPositionAsync(logId, writer.End);
        await second.StopAsync();

        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));

        var deadLetters = File.ReadAllLines(FileDeadLetterSink.PathBeside(_directory));
        Assert.Equal(2, deadLetters.Length);
        Assert.Equal("InvalidJson", JsonDocument.Parse(deadLetters[0]).RootElement.GetProperty("reason").GetString());
        Assert.Equal("""{"wiki":"enwiki"}""", JsonDocument.Parse(deadLetters[1]).RootElement.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task A_stored_position_in_segments_retention_deleted_is_reported_with_what_was_lost_and_counting_resumes_at_the_oldest_segment()
    {
        await server.FlushAsync();
        var events = RealSamples.Lines(RealSamples.Enwiki2023).ToList();
        const long segmentBytes = 8 * 1024;
        using var writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = _directory, SegmentBytes = segmentBytes });
        var logId = FileLogIdentity.LogKey(writer.LogId);
        Append(writer, events.Take(30));
        var first = Start();
        var stored = writer.End;
        await WaitForPositionAsync(logId, stored);
        await first.StopAsync();

        // While the Aggregator is down the Ingest writes on, and its retention deletes what the Aggregator had not read yet.
        Append(writer, events.Skip(30));
        var written = FileLogContents.ReadAll(_directory, FileLogPosition.Start);
        var deletions = new FileLogRetention(new FileLogRetentionOptions { RetentionBytes = 3 * segmentBytes }, TimeProvider.System).Apply(writer);
        var oldest = deletions[^1].Segment + 1;
        Assert.True(oldest > stored.Segment + 1, "retention deleted the stored position's segment and the one after");
        var left = FileLogContents.ReadAll(_directory, FileLogPosition.Start);

        var (gaps, lostBytes) = (0L, 0L);
        var factory = _services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("pleiades_aggregator_file_log_", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "pleiades_aggregator_file_log_gaps_total")
            {
                Interlocked.Add(ref gaps, value);
            }
            else
            {
                Interlocked.Add(ref lostBytes, value);
            }
        });
        listener.Start();

        var second = Start();
        await WaitForPositionAsync(logId, writer.End);
        await second.StopAsync();

        // Counted: everything before the stored position and everything still in the log, each once; the rest is reported lost.
        var expected = CounterOracle.Count(events.Take(30).Concat(left.Select(r => r.Data.ToArray()))).AllTime;
        Assert.Equal(expected, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
        Assert.Equal(1, Interlocked.Read(ref gaps));
        var lost = written.Where(r => r.Position >= stored && r.Position.Segment < oldest);
        Assert.Equal(lost.Sum(r => r.Next.Offset - r.Position.Offset), Interlocked.Read(ref lostBytes));
        Assert.Equal(events.Count, 30 + lost.Count() + left.Count);

        // Recorded for the site (the Web's /api/status and dashboard): one gap, its bytes, and what it was.
        var status = (await server.Connection.GetDatabase().HashGetAllAsync(RedisKeys.Status)).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("1", status[RedisKeys.LossesField]);
        Assert.Equal(Interlocked.Read(ref lostBytes).ToString(System.Globalization.CultureInfo.InvariantCulture), status[RedisKeys.LostBytesField]);
        Assert.Contains($"positions {stored} to ", status[RedisKeys.LastLossField], StringComparison.Ordinal);
        Assert.Single(await server.Connection.GetDatabase().HashGetAllAsync(RedisKeys.Losses));
    }

    [Fact]
    public async Task Events_with_wrongly_typed_fields_count_and_each_ignored_field_is_counted_by_name()
    {
        await server.FlushAsync();
        var good = RealSamples.Lines(RealSamples.Enwiki2023);
        byte[][] odd =
        [
            Encoding.UTF8.GetBytes("""{"meta":{"dt":"2023-07-29T09:00:00Z"},"wiki":"enwiki","type":"edit","bot":"true","length":5}"""),
            Encoding.UTF8.GetBytes("""{"meta":{"dt":"2023-07-29T09:01:00Z"},"wiki":42,"type":"edit","minor":1,"length":{"old":"7","new":10}}"""),
        ];
        var events = good.Take(50).Concat(odd).Concat(good.Skip(50)).ToList();
        using var writer = FileEventLogWriter.Open(new FileEventLogOptions { Directory = _directory });
        var logId = FileLogIdentity.LogKey(writer.LogId);

        var factory = _services.GetRequiredService<IMeterFactory>();
        var ignored = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "pleiades_aggregator_ignored_fields_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                ignored.AddOrUpdate((string)tag.Value!, value, (_, sum) => sum + value);
            }
        });
        listener.Start();

        Append(writer, events);
        var loop = Start();
        await WaitForPositionAsync(logId, writer.End);
        await loop.StopAsync();

        Assert.Equal(CounterOracle.Count(events).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
        Assert.Equal(102, (await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection))["pleiades_total"]);
        Assert.Equal(
            new Dictionary<string, long> { ["bot"] = 1, ["length"] = 1, ["wiki"] = 1, ["minor"] = 1, ["length.old"] = 1 },
            ignored.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary());
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);
    }

    private static void Append(FileEventLogWriter writer, IEnumerable<byte[]> records)
    {
        foreach (var record in records)
        {
            writer.Append("[]"u8, record);
        }

        writer.Flush();
    }

    private RunningSource Start()
    {
        var metrics = new AggregatorMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var loggers = TestOutputLoggerProvider.CreateFactory();
        var options = new AggregatorOptions { BatchMaxEvents = 97, BatchMaxDelay = TimeSpan.FromMilliseconds(50) };
        var committer = new BatchCommitter(new RedisCounterStore(server.Connection), metrics,
            new ProgressReporter(loggers.CreateLogger<ProgressReporter>(), TimeProvider.System, TimeSpan.FromSeconds(10)), loggers.CreateLogger<BatchCommitter>(), TimeProvider.System);
        var deadLetters = new FileDeadLetterSink(FileDeadLetterSink.PathBeside(_directory), metrics, loggers.CreateLogger<FileDeadLetterSink>());
        var pipelines = new BatchPipelineFactory(committer, metrics, deadLetters, loggers, TimeProvider.System);
        return new RunningSource(new FileAggregatorLoop(_directory, options, pipelines, loggers), deadLetters);
    }

    private async Task WaitForPositionAsync(string logId, FileLogPosition end)
    {
        var store = new RedisCounterStore(server.Connection);
        await Eventually.WaitUntilAsync(
            async () => (await store.ReadPositionsAsync(logId)).GetValueOrDefault(RedisKeys.FilePositionField, -1) == end.ToInt64(),
            Timeout,
            $"applying the log up to {end.ToInt64()}");
    }
}
