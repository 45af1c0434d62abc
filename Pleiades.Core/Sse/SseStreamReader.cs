using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Pleiades.Sse;

/// <summary>
/// Reads the frames of one SSE response body through System.IO.Pipelines. Frames are yielded while the
/// pipe's buffer is held, so a burst of frames costs one read; each frame owns its data, so callers may keep it.
/// </summary>
public sealed class SseStreamReader
{
    private readonly PipeReader _reader;
    private readonly TimeSpan _idleTimeout;

    /// <param name="reader">The body.</param>
    /// <param name="parser">The connection's parser (it carries the last event id, <c>retry</c> and line counts).</param>
    /// <param name="idleTimeout">When no byte arrives for this long, reading fails with <see cref="TimeoutException"/>
    /// (a stalled connection must reconnect, never hang). <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
    public SseStreamReader(PipeReader reader, SseParser parser, TimeSpan idleTimeout)
    {
        _reader = reader;
        Parser = parser;
        _idleTimeout = idleTimeout;
    }

    public SseParser Parser { get; }

    /// <summary>Yields every frame until the body ends; an incomplete frame at the end is discarded, as the specification says.</summary>
    public async IAsyncEnumerable<SseFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            ReadResult result;
            try
            {
                if (_idleTimeout != Timeout.InfiniteTimeSpan)
                {
                    idle.CancelAfter(_idleTimeout);
                }

                result = await _reader.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no bytes arrived for {_idleTimeout.TotalSeconds:0.#} s");
            }

            var buffer = result.Buffer;
            try
            {
                while (Parser.TryReadFrame(ref buffer, out var frame))
                {
                    yield return frame;
                }
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                yield break;
            }
        }
    }
}
