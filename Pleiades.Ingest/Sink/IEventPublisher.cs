using System.Diagnostics;


namespace Pleiades.Ingest.Sink;

/// <summary>The event log the Ingest writes: the file log or Kafka (exactly one at a time).</summary>
public interface IEventPublisher : IAsyncDisposable
{
    /// <summary><c>file</c> or <c>kafka</c>, for logs and metrics.</summary>
    string Name { get; }

    /// <summary>Opens the log (creating it when needed) and reads back where it ends; null for an empty log.</summary>
    Task<ResumePoint?> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Returns once every event of <paramref name="batch"/> is in the log (acknowledged), or throws. Called again
    /// with the same batch after a failure, it writes only the events that did not make it, so a retry never
    /// duplicates an event. Each attempt is a publish span, a child of <paramref name="read"/> (the span of reading
    /// the batch from the stream; none when default).
    /// </summary>
    Task PublishAsync(IReadOnlyList<IngestedEvent> batch, ActivityContext read, CancellationToken cancellationToken);
}
