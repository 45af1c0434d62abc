using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;
using Pleiades.Tests.Support;

namespace Pleiades.Tests.Aggregator;

[Trait("Category", "Integration")]
public sealed class BatchPipelineTests(GarnetServer server) : IClassFixture<GarnetServer>, IDisposable
{
    private const string LogId = "kafka:pipeline-test:pleiades-events";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly IReadOnlyList<byte[]> _lines = RealSamples.Lines(RealSamples.Enwiki2023);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_whose_reply_was_lost_counts_once_when_sent_again()
    {
        await server.FlushAsync();
        var pipeline = NewPipeline();
        pipeline.SetStoredPosition("0", BatchPosition.None);
        Fill(pipeline, "0", 0, 100);

        // The first attempt reached Redis but its reply never came back...
        var store = new RedisCounterStore(server.Connection);
        Assert.Equal(BatchApplyResult.Applied, await store.ApplyAsync(LogId, pipeline.Current.Counters, pipeline.Current.Positions, 1).WaitAsync(Timeout, Ct));

        // ...so the same batch is sent again: recognised, not counted twice, and the positions move on.
        Assert.True(await pipeline.FlushAsync(Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection))["pleiades_total"]);
        Assert.Equal(0, pipeline.Current.Records);
        Assert.Equal(100, pipeline.StoredPositions["0"]);
    }

    [Fact]
    public async Task A_stale_batch_in_flight_drops_the_batch_that_followed_it()
    {
        await server.FlushAsync();
        var owner = NewPipeline();
        owner.SetStoredPosition("0", BatchPosition.None);
        Fill(owner, "0", 0, 2);
        Assert.True(await owner.FlushAsync(Ct).WaitAsync(Timeout, Ct));

        // A former owner still believes partition 0 starts at the beginning; it sends one batch and reads on.
        var former = NewPipeline();
        former.SetStoredPosition("0", BatchPosition.None);
        Fill(former, "0", 0, 10);
        Assert.True(await former.SendAsync(Ct).WaitAsync(Timeout, Ct));
        Fill(former, "0", 10, 20);
        Assert.Equal(10, former.Current.Records);

        Assert.False(await former.SendAsync(Ct).WaitAsync(Timeout, Ct));
        Assert.Equal(0, former.Current.Records);
        Assert.Equal(2, (await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection))["pleiades_total"]);
        Assert.Equal(new Dictionary<string, long> { ["0"] = 2 }, await new RedisCounterStore(server.Connection).ReadPositionsAsync(LogId));
    }

    [Fact]
    public async Task Batches_sent_back_to_back_add_up()
    {
        await server.FlushAsync();
        var pipeline = NewPipeline();
        pipeline.SetStoredPosition("0", BatchPosition.None);
        for (var start = 0; start < 100; start += 7)
        {
            Fill(pipeline, "0", start, Math.Min(start + 7, 100));
            Assert.True(await pipeline.SendAsync(Ct).WaitAsync(Timeout, Ct));
        }

        Assert.True(await pipeline.FlushAsync(Ct).WaitAsync(Timeout, Ct));
        Assert.Equal(CounterOracle.Count(_lines).AllTime, await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection));
        Assert.Equal(100, (await new RedisCounterStore(server.Connection).ReadPositionsAsync(LogId))["0"]);
    }

    public void Dispose() => _services.Dispose();

    private void Fill(BatchPipeline pipeline, string partition, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            pipeline.Current.Add(partition, i, i + 1, _lines[i]);
        }
    }

    private BatchPipeline NewPipeline()
    {
        var metrics = new AggregatorMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var committer = new BatchCommitter(new RedisCounterStore(server.Connection), metrics,
            new ProgressReporter(NullLogger<ProgressReporter>.Instance, TimeProvider.System, TimeSpan.FromMinutes(1)), NullLogger<BatchCommitter>.Instance, TimeProvider.System);
        return new BatchPipeline(LogId, committer, metrics, new RefusingDeadLetters(), new MalformedRecordLog(NullLogger.Instance), TimeProvider.System);
    }

    /// <summary>The batches here hold no malformed records.</summary>
    private sealed class RefusingDeadLetters : IDeadLetterSink
    {
        public void Send(DeadLetter letter) => throw new InvalidOperationException("No malformed record expected.");

        public void Flush(TimeSpan timeout)
        {
        }

        public void Dispose()
        {
        }
    }
}
