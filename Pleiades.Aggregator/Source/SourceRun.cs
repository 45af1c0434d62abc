using Pleiades.Aggregator.Counting;
using Pleiades.Aggregator.Telemetry;

namespace Pleiades.Aggregator.Source;

/// <summary>
/// The two ways one run of a source ends, and what a graceful end owes: <c>stopping</c> (graceful: what was read is
/// applied, for up to <see cref="ShutdownCommitTimeout"/>) or <c>kill</c> (as a crash: nothing more is written).
/// </summary>
public sealed class SourceRun : IDisposable
{
    /// <summary>How long batches already sent keep retrying after a graceful stop.</summary>
    public static readonly TimeSpan ShutdownCommitTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan DeadLetterFlushTimeout = TimeSpan.FromSeconds(5);

    private readonly CancellationToken _kill;
    private readonly CancellationTokenSource _stoppingOrKilled;
    private readonly CancellationTokenSource _commitAbort;
    private readonly CancellationTokenRegistration _stopDeadline;

    public SourceRun(CancellationToken stopping, CancellationToken kill)
    {
        _kill = kill;
        _stoppingOrKilled = CancellationTokenSource.CreateLinkedTokenSource(stopping, kill);
        // Batches already sent keep retrying after a graceful stop, for a while; a kill ends them at once.
        _commitAbort = CancellationTokenSource.CreateLinkedTokenSource(kill);
        var commitAbort = _commitAbort;
        _stopDeadline = stopping.Register(() => commitAbort.CancelAfter(ShutdownCommitTimeout));
    }

    /// <summary>Ends reading: stopped or killed.</summary>
    public CancellationToken Reading => _stoppingOrKilled.Token;

    /// <summary>Ends the retries of batches sent to Redis: a kill, or the shutdown deadline after a stop.</summary>
    public CancellationToken Commits => _commitAbort.Token;

    /// <summary>True when the run was killed rather than stopped.</summary>
    public bool Killed => _kill.IsCancellationRequested;

    /// <summary>The graceful end: applies what was read (within the deadline) and hands the dead letters over.</summary>
    public async Task FinishAsync(BatchPipeline pipeline, BatchPipelineFactory pipelines, ILogger logger)
    {
        try
        {
            await pipeline.FlushAsync(Commits).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LastBatchNotApplied(ShutdownCommitTimeout);
        }

        pipelines.DeadLetters.Flush(DeadLetterFlushTimeout);
    }

    public void Dispose()
    {
        _stopDeadline.Dispose();
        _commitAbort.Dispose();
        _stoppingOrKilled.Dispose();
    }
}
