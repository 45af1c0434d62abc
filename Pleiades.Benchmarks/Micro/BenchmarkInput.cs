using System.Text;
using Pleiades.Benchmarks.Data;

namespace Pleiades.Benchmarks.Micro;

/// <summary>The events every micro benchmark works on: the first <see cref="Count"/> real-shaped events, as JSON and as SSE.</summary>
internal static class BenchmarkInput
{
    public const int Count = 10_000;

    private static readonly Lazy<byte[][]> LazyEvents = new(() =>
    {
        var events = RealShapedEvents.Load();
        return [.. Enumerable.Range(0, Count).Select(i => events.Event(i))];
    });

    /// <summary>Each event's JSON (the SSE <c>data</c>).</summary>
    public static byte[][] Events => LazyEvents.Value;

    /// <summary>The SSE id EventStreams sends with event <paramref name="index"/>.</summary>
    public static byte[] SseId(long index) =>
        Encoding.UTF8.GetBytes($$"""[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":{{4_800_000_000 + index}}},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]""");

    /// <summary>The events as one EventStreams response body: <c>:ok</c>, then event/id/data frames.</summary>
    public static byte[] SseBody()
    {
        using var body = new MemoryStream();
        body.Write(":ok\n\n"u8);
        for (var i = 0; i < Count; i++)
        {
            body.Write("event: message\nid: "u8);
            body.Write(SseId(i));
            body.Write("\ndata: "u8);
            body.Write(Events[i]);
            body.Write("\n\n"u8);
        }

        return body.ToArray();
    }
}
