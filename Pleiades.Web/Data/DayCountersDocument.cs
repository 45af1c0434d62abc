using System.IO.Compression;

namespace Pleiades.Web.Data;

/// <summary>
/// A day's counters together with their JSON, serialized once per snapshot: hundreds of clients asking for the same
/// day within a snapshot's lifetime then cost one copy of bytes each, not one serialization of a thousand counters.
/// </summary>
public sealed record DayCountersDocument(DayCounters Value, byte[] Utf8Json)
{
    private byte[]? _gzipJson;

    /// <summary>The JSON gzipped, made once per snapshot on first demand (a thousand wikis: ~80 KB of JSON, a few KB gzipped).</summary>
    public byte[] GzipJson => _gzipJson ??= Gzip(Utf8Json);

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
