using System.IO.Compression;
using System.Net;
using System.Text.Json;

namespace Pleiades.Tests.Web;

/// <summary>Reads the API's counter documents (<c>{"Since", "Counters"}</c>, CONTRACT.md section 3) as the tests check them.</summary>
public static class StatsDocuments
{
    /// <summary>The document's counters by name.</summary>
    public static Dictionary<string, long> Values(JsonElement stats) =>
        stats.GetProperty("Counters").EnumerateArray().ToDictionary(c => c.GetProperty("Name").GetString()!, c => c.GetProperty("Value").GetInt64());

    /// <summary>
    /// Gets <paramref name="path"/> once accepting <paramref name="acceptEncoding"/> (which must lead to gzip) and once
    /// plain; returns the first unzipped and the second, for the caller to compare.
    /// </summary>
    public static async Task<(string Unzipped, string Plain)> GetGzippedAndPlainAsync(WebAppHost app, string path, string acceptEncoding, CancellationToken ct)
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var raw = new HttpClient(handler) { BaseAddress = app.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Accept-Encoding", acceptEncoding } } };

        using var gzipped = await raw.SendAsync(request, ct);
        var plain = await app.Client.GetStringAsync(path, ct);

        Assert.Equal(HttpStatusCode.OK, gzipped.StatusCode);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", gzipped.Headers.Vary);
        await using var unzip = new GZipStream(await gzipped.Content.ReadAsStreamAsync(ct), CompressionMode.Decompress);
        using var reader = new StreamReader(unzip);
        return (await reader.ReadToEndAsync(ct), plain);
    }
}
