using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Pleiades.Aggregator.Source.Kafka;
using Pleiades.EventLog.Kafka;
using Pleiades.Hosting.Embedded;

namespace Pleiades.Benchmarks.Micro;

/// <summary>
/// The Aggregator's consumer (its own librdkafka settings) reading 10,000 events from the embedded mock broker, per
/// event, with the fields it marshals per message: none (value, partition and offset only) against headers, with the
/// trace context extracted where a message carries one. The topic is filled as the Ingest fills it: a
/// <c>traceparent</c> header on the first message of each partition run of 64.
/// </summary>
[Config(typeof(MicroConfig))]
public class KafkaConsumeHeadersBenchmarks
{
    private const int Partitions = 8;
    private const int PartitionRun = 64;
    private const string Topic = "bench-consume-headers";

    private KafkaMockCluster? _cluster;
    private IConsumer<Ignore, byte[]>? _consumer;

    [Params("none", "headers")]
    public string ConsumeResultFields { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _cluster = KafkaMockCluster.Start();
        _cluster.CreateTopic(Topic, Partitions);
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, LingerMs = 5 }).Build())
        {
            using var publish = new Activity("bench publish").SetIdFormat(ActivityIdFormat.W3C).Start();
            var headers = new Headers();
            KafkaTraceContext.Inject(headers, publish);
            var events = BenchmarkInput.Events;
            for (var i = 0; i < events.Length; i++)
            {
                var run = i / PartitionRun;
                producer.Produce(new TopicPartition(Topic, run % Partitions), new Message<Null, byte[]>
                {
                    Value = events[i],
                    Headers = i % PartitionRun == 0 ? headers : null,
                });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var config = new ConsumerConfig { ConsumeResultFields = ConsumeResultFields };
        KafkaConsumerDefaults.AddLoopSettings(config, new KafkaSourceSettings(
            _cluster.BootstrapServers, Topic, "bench-headers", new Dictionary<string, string>(), new Dictionary<string, string>()));
        _consumer = new ConsumerBuilder<Ignore, byte[]>(config).SetLogHandler((_, _) => { }).Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _consumer?.Close();
        _consumer?.Dispose();
        _cluster?.Dispose();
    }

    [Benchmark(OperationsPerInvoke = BenchmarkInput.Count)]
    public int ConsumeAndExtractContexts()
    {
        _consumer!.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));
        var contexts = 0;
        for (var read = 0; read < BenchmarkInput.Count; read++)
        {
            var result = _consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("the mock broker stopped delivering");
            if (result.Message.Headers is { Count: > 0 } headers && KafkaTraceContext.Extract(headers) != default)
            {
                contexts++;
            }
        }

        _consumer.Unassign();
        return contexts;
    }
}
