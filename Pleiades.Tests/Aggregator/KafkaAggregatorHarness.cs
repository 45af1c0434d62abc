using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pleiades.Aggregator;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Source.Kafka;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Hosting.Embedded;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;
using StackExchange.Redis;

namespace Pleiades.Tests.Aggregator;

/// <summary>
/// A Kafka mock cluster with the events topic, and Aggregator loops (real ones) reading it into a Redis-protocol
/// server. Loops can be stopped gracefully or killed as a crash would.
/// </summary>
public sealed class KafkaAggregatorHarness : IAsyncDisposable
{
    public const string Topic = "pleiades-events";
    public const string DeadLetterTopic = "pleiades-events-deadletter";
    public const string Group = "pleiades-aggregator-group";
    public static readonly TimeSpan Timeout = RunningSource.Timeout;

    private readonly IConnectionMultiplexer _redis;
    private readonly ServiceProvider _services;
    private readonly List<RunningSource> _loops = [];
    private readonly Dictionary<int, long> _produced = [];

    /// <param name="redis">Where the counters go.</param>
    /// <param name="partitions">Partitions of the events topic.</param>
    /// <param name="batchMaxEvents">The Aggregators' batch size.</param>
    /// <param name="consumerConfig">
    /// The members' librdkafka settings. By default a 3 s session timeout: the mock broker holds every classic-protocol
    /// rebalance of a group with members for session.timeout.ms - 1 s (45 s by default) even when all have rejoined.
    /// </param>
    public KafkaAggregatorHarness(IConnectionMultiplexer redis, int partitions, int batchMaxEvents = 5000, IReadOnlyDictionary<string, string>? consumerConfig = null)
    {
        _redis = redis;
        Cluster = KafkaMockCluster.Start();
        Cluster.CreateTopic(Topic, partitions);
        Cluster.CreateTopic(DeadLetterTopic, 1);
        Partitions = partitions;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new AggregatorMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        Options = new AggregatorOptions
        {
            BatchMaxEvents = batchMaxEvents,
            BatchMaxDelay = TimeSpan.FromMilliseconds(100),
            ProgressInterval = TimeSpan.FromSeconds(5),
        };
        Settings = new KafkaSourceSettings(Cluster.BootstrapServers, Topic, Group,
            consumerConfig ?? new Dictionary<string, string> { ["session.timeout.ms"] = "3000", ["heartbeat.interval.ms"] = "500" },
            new Dictionary<string, string>());
    }

    public KafkaMockCluster Cluster { get; }

    public int Partitions { get; }

    public AggregatorOptions Options { get; }

    public KafkaSourceSettings Settings { get; }

    public AggregatorMetrics Metrics { get; }

    /// <summary>The factory of <see cref="Metrics"/>' meter (a listener tells this harness's measurements from others' by it).</summary>
    public System.Diagnostics.Metrics.IMeterFactory MeterFactory => _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public ILoggerFactory LoggerFactory { get; init; } = TestOutputLoggerProvider.CreateFactory();

    public long ProducedCount => _produced.Values.Sum();

    /// <summary>
    /// Produces <paramref name="records"/> round-robin over the partitions, in order within each; <paramref name="headers"/>
    /// gives the headers of the record at each index (none by default).
    /// </summary>
    public async Task ProduceAsync(IEnumerable<byte[]> records, Func<int, Headers?>? headers = null)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        var next = (int)(ProducedCount % Partitions);
        var index = 0;
        foreach (var record in records)
        {
            producer.Produce(new TopicPartition(Topic, next), new Message<Null, byte[]> { Value = record, Headers = headers?.Invoke(index++) });
            _produced[next] = _produced.GetValueOrDefault(next) + 1;
            next = (next + 1) % Partitions;
        }

        await Task.Run(() => producer.Flush(Timeout)).WaitAsync(Timeout);
    }

    /// <summary>Real events of three kinds, ~5,700 in all (a bot's batch of Wikidata edits, one with reverts, human enwiki edits): the stream the group tests consume.</summary>
    public static List<byte[]> SampleStream() =>
    [
        .. RealSamples.Lines(RealSamples.WikidataBatch2018),
        .. RealSamples.Lines(RealSamples.WikidataReverts2018),
        .. RealSamples.Lines(RealSamples.Enwiki2023),
    ];

    /// <summary>Produces <paramref name="records"/> and starts a member on them; returns once it has applied half: a member busy mid-stream.</summary>
    public async Task<(RunningSource Member, string LogId)> StartMidStreamAsync(IReadOnlyCollection<byte[]> records)
    {
        await ProduceAsync(records);
        var member = Start();
        var logId = await member.LogIdAsync();
        await WaitForAppliedAsync(logId, records.Count / 2);
        return (member, logId);
    }

    /// <summary>Starts one more group member.</summary>
    public RunningSource Start()
    {
        var committer = new BatchCommitter(new RedisCounterStore(_redis), Metrics,
            new ProgressReporter(LoggerFactory.CreateLogger<ProgressReporter>(), TimeProvider.System, Options.ProgressInterval),
            LoggerFactory.CreateLogger<BatchCommitter>(), TimeProvider.System);
        var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
        var deadLetters = new KafkaDeadLetterSink(producer, DeadLetterTopic, Metrics, LoggerFactory.CreateLogger<KafkaDeadLetterSink>());
        var pipelines = new BatchPipelineFactory(committer, Metrics, deadLetters, LoggerFactory, TimeProvider.System);
        var running = new RunningSource(new KafkaAggregatorLoop(Settings, Options, pipelines, LoggerFactory), deadLetters);
        _loops.Add(running);
        return running;
    }

    /// <summary>Waits until the member <paramref name="running"/> owns at least one partition.</summary>
    public static Task WaitForPartitionsAsync(RunningSource running) =>
        Eventually.WaitUntilAsync(() => ((KafkaAggregatorLoop)running.Source).AssignedPartitions > 0, Timeout, "an assignment of partitions");

    /// <summary>Sum of the positions stored in Redis for the topic's log (records applied, whoever applied them).</summary>
    public async Task<long> AppliedRecordsAsync(string logId)
    {
        var positions = await new RedisCounterStore(_redis).ReadPositionsAsync(logId);
        return positions.Values.Sum();
    }

    /// <summary>Waits until Redis holds at least <paramref name="records"/> applied records (at most all produced).</summary>
    public Task WaitForAppliedAsync(string logId, long records)
    {
        records = Math.Min(records, ProducedCount);
        return Eventually.WaitUntilAsync(async () => await AppliedRecordsAsync(logId) >= records, Timeout, $"applying {records} records");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var loop in _loops)
        {
            await loop.KillAsync();
        }

        Cluster.Dispose();
        await _services.DisposeAsync();
    }
}
