namespace Pleiades.Aggregator.Source;

/// <summary>A consuming loop over one kind of event log (Kafka, or the file log) that counts it into Redis.</summary>
public interface IAggregatorSource
{
    /// <summary>The loop's name in logs and in the <c>component</c> label of <c>pleiades_goroutine_restarts</c>.</summary>
    string Component { get; }

    /// <summary>The log being read (<c>kafka:{cluster}:{topic}</c> or <c>file:{guid}</c>), once known.</summary>
    string? LogId { get; }

    /// <summary>
    /// Reads until <paramref name="stopping"/> (graceful: what was read is applied first) or <paramref name="kill"/>
    /// (as a crash: what is in memory is dropped, and read again by whoever resumes).
    /// </summary>
    Task RunAsync(CancellationToken stopping, CancellationToken kill = default);
}
