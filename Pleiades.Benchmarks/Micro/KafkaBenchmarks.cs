using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Pleiades.Hosting.Embedded;
using Pleiades.Ingest;
using Pleiades.Ingest.Sink;
using Pleiades.Ingest.Telemetry;

namespace Pleiades.Benchmarks.Micro;

/// <summary>
/// Kafka through the project's own code against the embedded mock broker, per event: the Ingest's
/// <see cref="KafkaPublisher"/> publishing 10,000 events in the Ingest's batches of 4,096 (idempotent, acks=all,
/// lz4, as the Ingest configures its producer), and a consumer registered by the project's
/// <c>AddKafkaConsumer</c> reading 10,000 of them back (the Aggregator's fetch path, without the counting).
/// 32 partitions keep every partition far below the mock's ~5 MiB retention.
/// </summary>
[Config(typeof(MicroConfig))]
public class KafkaBenchmarks
{
    private const int Partitions = 32;
    private const int IngestBatch = 4_096;
    private const string ProduceTopic = "bench-produce";
    private const string ConsumeTopic = "bench-consume";

    private KafkaMockCluster? _cluster;
    private IProducer<byte[]?, byte[]>? _producer;
    private KafkaPublisher? _publisher;
    private IHost? _consumerHost;
    private IConsumer<Ignore, byte[]>? _consumer;
    private List<IngestedEvent>[] _batches = [];
    private ServiceProvider? _telemetryServices;

    /// <summary>
    /// librdkafka's delivery-report fields the .NET client marshals back per message: its default (all: key, value,
    /// headers, timestamp, status) against none (the Ingest's setting: the publisher reads the error alone, which
    /// every report carries).
    /// </summary>
    [Params("all", "none")]
    public string DeliveryReportFields { get; set; } = "all";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _cluster = KafkaMockCluster.Start();
        _cluster.CreateTopic(ProduceTopic, Partitions);
        _cluster.CreateTopic(ConsumeTopic, Partitions);

        var events = BenchmarkInput.Events;
        _batches = [.. events
            .Select((data, i) => new IngestedEvent(BenchmarkInput.SseId(i), data, 0, Guid.NewGuid()))
            .Chunk(IngestBatch)
            .Select(chunk => chunk.ToList())];

        _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            CompressionType = CompressionType.Lz4,
            LingerMs = 5,
            BatchSize = 1024 * 1024,
            MessageTimeoutMs = 0,
            QueueBufferingMaxKbytes = 64 * 1024,
            DeliveryReportFields = DeliveryReportFields,
        }).Build();
        _telemetryServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var telemetry = new IngestTelemetry(_telemetryServices.GetRequiredService<IMeterFactory>(), new RelayProgress());
        _publisher = new KafkaPublisher(_producer, new KafkaPublisherOptions(ProduceTopic, Partitions, () => _cluster.BootstrapServers), telemetry, NullLogger<KafkaPublisher>.Instance);

        // Fill the consumed topic once, with the same publisher code, then read it with the project's consumer registration.
        var filler = new KafkaPublisher(_producer, new KafkaPublisherOptions(ConsumeTopic, Partitions, () => _cluster.BootstrapServers), telemetry, NullLogger<KafkaPublisher>.Instance);
        foreach (var batch in _batches)
        {
            await filler.PublishAsync(batch, default, CancellationToken.None);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:kafka"] = _cluster.BootstrapServers;
        builder.AddKafkaConsumer<Ignore, byte[]>("kafka", settings =>
        {
            settings.DisableHealthChecks = true;
            settings.Config.GroupId = "bench";
            settings.Config.EnableAutoCommit = false;
        });
        _consumerHost = builder.Build();
        _consumer = _consumerHost.Services.GetRequiredService<IConsumer<Ignore, byte[]>>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _consumer?.Close();
        _consumerHost?.Dispose();
        _producer?.Dispose();
        _telemetryServices?.Dispose();
        _cluster?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public async Task PublishThroughKafkaPublisher()
    {
        foreach (var batch in _batches)
        {
            await _publisher!.PublishAsync(batch, default, CancellationToken.None);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public long ConsumeThroughProjectConsumer()
    {
        _consumer!.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(ConsumeTopic, p, Offset.Beginning)));
        long bytes = 0;
        for (var read = 0; read < BenchmarkInput.Count;)
        {
            var result = _consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("the mock broker stopped delivering");
            bytes += result.Message.Value.Length;
            read++;
        }

        _consumer.Unassign();
        return bytes;
    }
}
