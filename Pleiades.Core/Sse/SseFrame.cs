using System.Text;

namespace Pleiades.Sse;

/// <summary>
/// One event dispatched by an SSE stream, as the EventSource specification defines it. The id and the data
/// stay UTF-8 bytes: the Ingest relays them untouched, so decoding them would only cost allocations.
/// </summary>
/// <param name="EventType">The <c>event:</c> field, or <c>message</c> when the frame had none.</param>
/// <param name="Id">The last event id in force when the frame was dispatched (empty when the stream never sent one).</param>
/// <param name="Data">The <c>data:</c> lines joined with LF, without the final LF.</param>
public readonly record struct SseFrame(string EventType, ReadOnlyMemory<byte> Id, ReadOnlyMemory<byte> Data)
{
    /// <summary>The event type the specification gives a frame without an <c>event:</c> field.</summary>
    public const string DefaultEventType = "message";

    /// <summary>The id as text (allocates; for logs, headers and tests).</summary>
    public string IdText => Encoding.UTF8.GetString(Id.Span);

    /// <summary>The data as text (allocates; for logs and tests).</summary>
    public string DataText => Encoding.UTF8.GetString(Data.Span);

    /// <summary>True for <c>event: error</c> frames, which EventStreams sends to report a problem on its side.</summary>
    public bool IsError => EventType == "error";
}
