using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Pleiades.Ingest.Source;

/// <summary>
/// Opens one EventStreams connection: <c>Accept: text/event-stream</c>, the configured User-Agent (WMF refuses
/// generic ones), <c>Last-Event-ID</c> when resuming, else <c>?since=</c> when backfilling. Its HttpClient has no
/// overall timeout and no resilience handler: the response is a stream that lasts for minutes, and reconnecting
/// is the relay's job (it knows where to resume).
/// </summary>
public sealed class EventStreamsClient(HttpClient http, IOptions<IngestOptions> options)
{
    private const int MaxErrorBodyChars = 500;

    /// <summary>Sends the request and returns the response once its headers arrived; throws <see cref="EventStreamsRefusedException"/> for an error status.</summary>
    public async Task<HttpResponseMessage> ConnectAsync(string? lastEventId, bool backfill, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var url = settings.StreamUrl;
        if (lastEventId is null && backfill && !string.IsNullOrWhiteSpace(settings.Since))
        {
            var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
            url = new Uri(url + separator + "since=" + Uri.EscapeDataString(settings.Since));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ReadTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no response from {settings.StreamUrl} within {settings.ReadTimeout.TotalSeconds:0.#} s");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await ReadErrorBodyAsync(response, timeout.Token);
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            throw new EventStreamsRefusedException(response.StatusCode, retryAfter, body);
        }
    }

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            body = body.ReplaceLineEndings(" ").Trim();
            return body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] + "..." : body;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return "(no body)";
        }
    }
}
