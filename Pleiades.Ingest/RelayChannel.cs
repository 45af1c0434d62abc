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
}
