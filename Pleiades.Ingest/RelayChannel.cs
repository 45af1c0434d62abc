using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Pleiades.Ingest;

/// <summary>
/// What connects the reading loop to the publishing loop: the bounded event buffer (a full buffer pauses
/// reading: backpressure, never loss) and the resume point the publisher reads back from the log before the
/// first connection.
/// </summary>
public sealed class RelayChannel(IOptions<IngestOptions> options)
{
    private readonly TaskCompletionSource<ResumePoint?> _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>UTC ticks of the first event read since the publisher last took a batch; 0 when none.</summary>
    private long _firstUntakenReadTicks;

    public Channel<IngestedEvent> Events { get; } = Channel.CreateBounded<IngestedEvent>(
        new BoundedChannelOptions(Math.Max(1, options.Value.BufferCapacity))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <summary>Completes once the log is open: where it ends, or null when it is empty.</summary>
    public Task<ResumePoint?> ResumePoint => _resume.Task;

    public void SetResumePoint(ResumePoint? point) => _resume.TrySetResult(point);

    public void FailResumePoint(Exception exception) => _resume.TrySetException(exception);

    /// <summary>
    /// Called by the reading loop for every event it buffers: the first since the publisher last took a batch stamps
    /// the time, where the read span of the next batch begins. One volatile read per event; the clock once per batch.
    /// </summary>
    public void NoteRead()
    {
        if (Volatile.Read(ref _firstUntakenReadTicks) == 0)
        {
            Interlocked.CompareExchange(ref _firstUntakenReadTicks, DateTime.UtcNow.Ticks, 0);
        }
    }

    /// <summary>
    /// When the first event the publisher is about to take was read (now when none was noted), and starts the next
    /// batch's stamp. Approximate at the edges: an event buffered while a batch is being taken may stamp the next.
    /// </summary>
    public DateTimeOffset TakeReadStart()
    {
        var ticks = Interlocked.Exchange(ref _firstUntakenReadTicks, 0);
        return ticks == 0 ? DateTimeOffset.UtcNow : new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
