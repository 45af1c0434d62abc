using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Losses;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Counting;

/// <summary>What every source needs to count a log: pipelines of batches for a log id, and the parts they share.</summary>
public sealed class BatchPipelineFactory(BatchCommitter committer, AggregatorMetrics metrics, IDeadLetterSink deadLetters, ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly MalformedRecordLog _malformedLog = new(loggerFactory.CreateLogger<MalformedRecordLog>());

    public RedisCounterStore Store => committer.Store;

    public AggregatorMetrics Metrics => metrics;

    public IDeadLetterSink DeadLetters => deadLetters;

    public TimeProvider Time => time;

    /// <summary>Where sources report records gone from the log before they were counted.</summary>
    public LossReporter Losses { get; } = new(new RedisLossStore(committer.Store.Connection), metrics, loggerFactory.CreateLogger<LossReporter>(), time);

    /// <summary>Where sources read the positions they resume from.</summary>
    public StoredPositionReader Positions { get; } = new(committer.Store, loggerFactory.CreateLogger<StoredPositionReader>(), time);

    /// <summary>A pipeline of batches of the log <paramref name="logId"/>, named in traces as <paramref name="trace"/> says.</summary>
    public BatchPipeline Create(string logId, BatchTraceSource? trace = null) => new(logId, committer, metrics, deadLetters, _malformedLog, time, trace);
}
