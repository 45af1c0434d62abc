using Pleiades.Aggregator.Counting;
using Pleiades.Counters;
using Pleiades.EventLog;

namespace Pleiades.Aggregator;

/// <summary>Settings of the Aggregator, bound from the <c>Aggregator</c> configuration section.</summary>
public sealed class AggregatorOptions
{
    public const string Section = "Aggregator";

    /// <summary>The Kafka consumer group the instances share.</summary>
    public string Group { get; set; } = EventLogNames.ConsumerGroup;

    /// <summary>A batch is applied once it holds this many records...</summary>
    public int BatchMaxEvents { get; set; } = 10_000;

    /// <summary>...or once its first record is this old, whichever comes first.</summary>
    public TimeSpan BatchMaxDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long per-minute rates are kept after the end of their day.</summary>
    public TimeSpan MinuteRetention { get; set; } = RedisCounterStore.DefaultMinuteRetention;

    /// <summary>How often the progress line is logged.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Kafka topic of the events (<c>--kafka.topic</c>, <c>EventLog:Kafka:Topic</c>, shared with the Ingest).</summary>
    public string Topic { get; set; } = EventLogNames.EventsTopic;

    /// <summary>The file log's folder (<c>--file.publishDir</c>, <c>EventLog:File:Directory</c>, shared with the Ingest).</summary>
    public string FileDirectory { get; set; } = EventLogNames.DefaultFileDirectory;

    /// <summary>Kafka topic that receives malformed events (with Kafka as the log).</summary>
    public string DeadLetterTopic { get; set; } = EventLogNames.DeadLetterTopic;

    public RedisClientOptions Redis { get; set; } = new();
}
