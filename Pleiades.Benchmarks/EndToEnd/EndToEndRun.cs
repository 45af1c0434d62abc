using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Pleiades.Benchmarks.Data;
using Pleiades.Counters;
using Pleiades.EventLog.FileLog;
using Pleiades.Hosting.Embedded;
using StackExchange.Redis;

namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>
/// The measured phases over one replay server, one Redis and (for Kafka) one mock cluster. Each phase gets a fresh
/// log (a new topic or directory) and empty counters, so nothing is resumed or counted twice across phases.
/// </summary>
internal sealed class EndToEndRun(EndToEndOptions options, string root, RedisUnderTest redis, KafkaMockCluster? kafka, MeasuredService replay, ExpectedCounters expected)
{
    private static readonly TimeSpan StageTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Where the replay serves the stream (given by the caller, which chose the listen port).</summary>
    public required string StreamUrl { get; init; }

    /// <summary>Cancelled by Ctrl+C: the phase's wait ends, and disposing its processes stops them.</summary>
    public CancellationToken Stopping { get; init; }

    /// <summary>Ingest alone (replay -> log), then the Aggregators alone (log -> Redis) over the log it wrote.</summary>
    public async Task<IReadOnlyList<StageResult>> StagesAsync()
    {
        var phase = NewPhase("stages");
        await ClearRedisAsync();
        StageResult ingestStage;
        var before = Baseline();
        await using (var ingest = StartIngest(phase))
        {
            var timing = await WaitForAsync(() => ingest.MetricAsync(IngestPublishedMetric), [ingest], ingest.StartedAt);
            ingestStage = new StageResult($"Ingest: replay -> {options.Log}", expected.Total, timing,
                [("ingest", ingest.Sample()), .. Others(before)], CheckLog(phase));
        }

        if (options.RunsIngestOnly)
        {
            return [ingestStage];
        }

        before = Baseline();
        var aggregators = StartAggregators(phase);
        try
        {
            var timing = await WaitForAsync(CountedTotalAsync, aggregators, aggregators[0].StartedAt);
            var aggregatorStage = new StageResult($"Aggregator x{aggregators.Count}: {options.Log} -> {redis.Kind}", expected.Total, timing,
                [.. aggregators.Select(a => (a.Name, a.Sample())), .. Others(before)], await CheckCountersAsync())
            {
                Notes = await RedisWritesAsync(aggregators),
            };
            return [ingestStage, aggregatorStage];
        }
        finally
        {
            await StopAsync(aggregators);
        }
    }

    /// <summary>Everything at once: the Aggregators wait on an empty log, then the Ingest starts; timed until the counters are exact.</summary>
    public async Task<StageResult> PipelineAsync()
    {
        var phase = NewPhase("pipeline");
        await ClearRedisAsync();
        var before = Baseline();
        var aggregators = StartAggregators(phase);
        try
        {
            foreach (var aggregator in aggregators)
            {
                await aggregator.WaitListeningAsync(aggregator.MetricsPort, TimeSpan.FromSeconds(60));
            }

            // Let the consumer group settle (assignment) before the clock starts.
            await Task.Delay(TimeSpan.FromSeconds(5), Stopping);
            await using var ingest = StartIngest(phase);
            var timing = await WaitForAsync(CountedTotalAsync, [ingest, .. aggregators], ingest.StartedAt);
            return new StageResult($"End to end: replay -> Ingest -> {options.Log} -> Aggregator x{aggregators.Count} -> {redis.Kind}", expected.Total, timing,
                [("ingest", ingest.Sample()), .. aggregators.Select(a => (a.Name, a.Sample())), .. Others(before)], await CheckCountersAsync())
            {
                Notes = await RedisWritesAsync(aggregators),
            };
        }
        finally
        {
            await StopAsync(aggregators);
        }
    }

    private string IngestPublishedMetric => options.Log == EndToEndOptions.Kafka ? "pleiades_kafka_publish_events_total" : "pleiades_file_publish_events_total";

    private Phase NewPhase(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        if (kafka is null)
        {
            var events = Path.Combine(directory, "events");
            return new Phase(name, directory, ["--file.enable", "--file.publishDir", events], events);
        }

        var topic = "pleiades-events-" + name;
        kafka.CreateTopic(topic, options.Partitions);
        return new Phase(name, directory, ["--kafka.broker", kafka.BootstrapServers, "--kafka.topic", topic], topic);
    }

    private MeasuredService StartIngest(Phase phase) =>
        MeasuredService.Start("ingest", "Pleiades.Ingest", phase.Directory, [.. phase.LogArgs, "--stream.url", StreamUrl]);

    private List<MeasuredService> StartAggregators(Phase phase) =>
    [
        .. Enumerable.Range(1, options.Aggregators).Select(i => MeasuredService.Start(
            $"aggregator-{i}", "Pleiades.Aggregator", phase.Directory,
            [.. phase.LogArgs, "--redis-addr", redis.Address, "--kafka.group", "bench-" + phase.Name])),
    ];

    /// <summary>Batches applied and their mean Redis write time, from each Aggregator's own metrics.</summary>
    private static async Task<string> RedisWritesAsync(List<MeasuredService> aggregators)
    {
        var notes = new List<string>();
        foreach (var aggregator in aggregators)
        {
            var count = await aggregator.MetricValueAsync("pleiades_aggregator_redis_write_duration_seconds_count");
            var sum = await aggregator.MetricValueAsync("pleiades_aggregator_redis_write_duration_seconds_sum");
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{aggregator.Name}: {count:N0} batches, {(count > 0 ? sum / count * 1000 : 0):F1} ms per Redis write"));
        }

        return string.Join("; ", notes);
    }

    private static async Task StopAsync(List<MeasuredService> processes)
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }

    private async Task ClearRedisAsync()
    {
        foreach (var server in redis.Connection.GetServers())
        {
            await server.FlushAllDatabasesAsync();
        }
    }

    private async Task<long> CountedTotalAsync()
    {
        var total = await redis.Connection.GetDatabase().HashGetAsync(RedisKeys.AllTimeCounters, CounterNames.Total);
        return total.HasValue ? (long)total : 0;
    }

    /// <summary>
    /// Polls <paramref name="progress"/> until it reaches every event, failing when a process dies or the stage times out.
    /// Returns the seconds since <paramref name="start"/>, the rate from the first event seen to the last, and the rate
    /// and the CPU of <paramref name="processes"/> per event from the first poll at or past half of the events to the last.
    /// </summary>
    private async Task<StageTiming> WaitForAsync(Func<Task<long>> progress, IReadOnlyList<MeasuredService> processes, long start)
    {
        long firstAt = 0;
        long firstValue = 0;
        long halfAt = 0;
        long halfValue = 0;
        double halfCpuSeconds = 0;
        while (true)
        {
            var value = await progress();
            var now = Stopwatch.GetTimestamp();
            foreach (var process in processes)
            {
                process.Sample();
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{process.Name} exited early; see {process.LogPath}");
                }
            }

            if (value > 0 && firstAt == 0)
            {
                firstAt = now;
                firstValue = value;
            }

            if (value >= expected.Total / 2 && halfAt == 0)
            {
                halfAt = now;
                halfValue = value;
                halfCpuSeconds = processes.Sum(p => p.Usage.CpuSeconds);
            }

            if (value >= expected.Total)
            {
                return new StageTiming(
                    Stopwatch.GetElapsedTime(start, now).TotalSeconds,
                    Rate(value - firstValue, Stopwatch.GetElapsedTime(firstAt, now)),
                    Rate(value - halfValue, Stopwatch.GetElapsedTime(halfAt, now)),
                    value > halfValue ? (processes.Sum(p => p.Usage.CpuSeconds) - halfCpuSeconds) * 1e6 / (value - halfValue) : double.NaN);
            }

            if (Stopwatch.GetElapsedTime(start) > StageTimeout)
            {
                throw new TimeoutException($"stuck at {value:N0} of {expected.Total:N0} events after {StageTimeout}");
            }

            await Task.Delay(PollInterval, Stopping);
        }
    }

    /// <summary>Events per second; NaN when the events came within one poll (too few to time).</summary>
    private static double Rate(long events, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? events / elapsed.TotalSeconds : double.NaN;

    /// <summary>CPU and peak RSS at the start of a stage of the processes that outlive it (replay, this process, redis-server).</summary>
    private Dictionary<string, ProcessUsage> Baseline()
    {
        var usage = new Dictionary<string, ProcessUsage>(StringComparer.Ordinal)
        {
            ["replay"] = replay.Sample(),
            ["benchmark process (Kafka mock, Garnet)"] = ProcessUsage.Self(),
        };
        if (redis.ProcessId is { } redisPid)
        {
            usage["redis-server"] = ProcessUsage.Read(redisPid);
        }

        return usage;
    }

    /// <summary>The CPU those processes spent during the stage, with their peak RSS so far.</summary>
    private IEnumerable<(string, ProcessUsage)> Others(Dictionary<string, ProcessUsage> before)
    {
        foreach (var (name, then) in before)
        {
            var now = name switch
            {
                "replay" => replay.Sample(),
                "redis-server" => ProcessUsage.Read(redis.ProcessId!.Value),
                _ => ProcessUsage.Self(),
            };
            var label = name == "benchmark process (Kafka mock, Garnet)" && kafka is null && redis.Kind != RedisUnderTest.Garnet ? "benchmark process" : name;
            yield return (label, now with { CpuSeconds = now.CpuSeconds - then.CpuSeconds });
        }
    }

    /// <summary>Whether the log holds every event: Kafka's watermarks (a low mark above 0 means the mock's retention dropped data), or the file log read through.</summary>
    private string CheckLog(Phase phase)
    {
        if (kafka is null)
        {
            using var reader = new FileEventLogReader(phase.Log, FileLogPosition.Start);
            long records = 0;
            while (reader.TryRead(out _))
            {
                records++;
            }

            return records == expected.Total ? $"log holds all {records:N0}" : $"LOG HOLDS {records:N0}";
        }

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "bench-check" }).Build();
        long low = 0, high = 0;
        for (var partition = 0; partition < options.Partitions; partition++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(phase.Log, partition), TimeSpan.FromSeconds(10));
            low += marks.Low;
            high += marks.High;
        }

        return low == 0 && high == expected.Total
            ? $"topic holds all {high:N0} ({options.Partitions} partitions)"
            : $"TOPIC: {high - low:N0} kept of {high:N0} written";
    }

    /// <summary>Compares the all-time counters with the straight computation.</summary>
    private async Task<string> CheckCountersAsync()
    {
        var stored = (await redis.Connection.GetDatabase().HashGetAllAsync(RedisKeys.AllTimeCounters))
            .ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.Ordinal);
        var wrong = expected.Checked()
            .Where(c => stored.GetValueOrDefault(c.Key) != c.Value)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {stored.GetValueOrDefault(c.Key)} != {c.Value}"))
            .ToList();
        var wikis = stored.Count(s => s.Key.StartsWith(CounterNames.WikiPrefix, StringComparison.Ordinal));
        return wrong.Count == 0 && wikis == expected.Wikis.Count
            ? $"exact ({expected.Checked().Count()} counters, {wikis} wikis)"
            : $"WRONG: {string.Join(", ", wrong)}; wikis {wikis} of {expected.Wikis.Count}";
    }

    private sealed record Phase(string Name, string Directory, string[] LogArgs, string Log);
}
