using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.DeadLetters;
using Pleiades.Aggregator.Telemetry;
using Pleiades.Counting;
using Pleiades.Tests.Counting;
using Pleiades.Tests.Events;

namespace Pleiades.Tests.Aggregator;

public sealed class BatchCommitterTests(GarnetServer server) : IClassFixture<GarnetServer>, IDisposable
{
    private const string LogId = "kafka:committer-test:pleiades-events";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_whose_reply_was_lost_counts_once_when_sent_again()
    {
        await server.FlushAsync();
        var store = new RedisCounterStore(server.Connection);
        var batch = NewBatch();
        batch.SetStoredPosition("0", BatchPosition.None);
        var lines = SharedSamples.Lines(SharedSamples.Enwiki2023);
        for (var i = 0; i < lines.Count; i++)
        {
            batch.Add("0", i, i + 1, lines[i]);
        }

        // The first attempt reached Redis but its reply never came back...
        Assert.Equal(BatchApplyResult.Applied, await store.ApplyAsync(LogId, batch.Counters, batch.Positions, 1).WaitAsync(Timeout, Ct));

        // ...so the committer sends the same batch again.
        var committer = new BatchCommitter(store, Metrics(), NullLogger<BatchCommitter>.Instance, TimeProvider.System, TimeSpan.FromMinutes(1));
        Assert.Equal(BatchApplyResult.AlreadyApplied, await committer.CommitAsync(batch, Ct).WaitAsync(Timeout, Ct));

        Assert.Equal(100, (await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection))["pleiades_total"]);
        Assert.Equal(0, batch.Records);
        Assert.Equal(100, batch.StoredPositions["0"]);
    }

    [Fact]
    public async Task A_stale_batch_is_discarded_and_its_stored_positions_stay()
    {
        await server.FlushAsync();
        var store = new RedisCounterStore(server.Connection);
        var lines = SharedSamples.Lines(SharedSamples.Enwiki2023);
        var committer = new BatchCommitter(store, Metrics(), NullLogger<BatchCommitter>.Instance, TimeProvider.System, TimeSpan.FromMinutes(1));

        var owner = NewBatch();
        owner.SetStoredPosition("0", BatchPosition.None);
        owner.Add("0", 0, 1, lines[0]);
        owner.Add("0", 1, 2, lines[1]);
        Assert.Equal(BatchApplyResult.Applied, await committer.CommitAsync(owner, Ct).WaitAsync(Timeout, Ct));

        var formerOwner = NewBatch();
        formerOwner.SetStoredPosition("0", BatchPosition.None);
        formerOwner.Add("0", 0, 1, lines[0]);
        Assert.Equal(BatchApplyResult.Stale, await committer.CommitAsync(formerOwner, Ct).WaitAsync(Timeout, Ct));
        Assert.Equal(0, formerOwner.Records);
        Assert.Equal(BatchPosition.None, formerOwner.StoredPositions["0"]);
        Assert.Equal(2, (await KafkaAggregatorLoopTests.AllTimeAsync(server.Connection))["pleiades_total"]);
    }

    public void Dispose() => _services.Dispose();

    private AggregatorMetrics Metrics() => new(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    private PendingBatch NewBatch() =>
        new(LogId, Metrics(), new DiscardingDeadLetters(), new MalformedRecordLog(NullLogger.Instance), TimeProvider.System);

    /// <summary>The batches here hold no malformed records.</summary>
    private sealed class DiscardingDeadLetters : IDeadLetterSink
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
