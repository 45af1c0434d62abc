namespace Pleiades.Aggregator.DeadLetters;

/// <summary>
/// Where malformed records go so that they can be inspected and replayed. Delivery is at least once: a record
/// read again after a restart is sent again. Sending never throws and never blocks counting for long.
/// </summary>
public interface IDeadLetterSink : IDisposable
{
    void Send(DeadLetter letter);

    /// <summary>Waits (bounded) for letters still in flight, e.g. before shutting down.</summary>
    void Flush(TimeSpan timeout);
}
