namespace Pleiades.Sse;

/// <summary>The peer sent something no SSE server sends (a line beyond the parser's limit).</summary>
public sealed class SseFormatException : Exception
{
    public SseFormatException()
    {
    }

    public SseFormatException(string message) : base(message)
    {
    }

    public SseFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
