namespace Pleiades.Aggregator.Counting;

/// <summary>What the apply script did with a batch.</summary>
public enum BatchApplyResult
{
    /// <summary>Counters and positions were written together.</summary>
    Applied,

    /// <summary>Every position of the batch was already stored: it was applied before (a retry after a lost
    /// reply). Nothing was written; the batch counts as done.</summary>
    AlreadyApplied,

    /// <summary>A stored position is neither the batch's start nor its end: another reader moved the log on
    /// (a rebalance). Nothing was written; the reader must go back to the stored positions.</summary>
    Stale,
}
