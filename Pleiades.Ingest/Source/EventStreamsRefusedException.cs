using System.Net;

namespace Pleiades.Ingest.Source;

/// <summary>EventStreams answered with an error status instead of a stream.</summary>
public sealed class EventStreamsRefusedException : Exception
{
    public EventStreamsRefusedException()
    {
    }

    public EventStreamsRefusedException(string message) : base(message)
    {
    }

    public EventStreamsRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public EventStreamsRefusedException(HttpStatusCode status, TimeSpan? retryAfter, string body)
        : base($"EventStreams answered {(int)status} {status}: {body}")
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode Status { get; }

    /// <summary>The server's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}
