using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pleiades.Counters;
using Pleiades.Tests.Support;

namespace Pleiades.Benchmarks.Data;

/// <summary>
/// Real-shaped recentchange events in any number: the real edits of the repository's data/samples (Druid's 39,244 Wikipedia edits
/// of 51 wikis mapped onto the recentchange schema, and the 100 real enwiki events) written in EventStreams'
/// modern schema, every one with a fresh <c>meta.id</c>. Event <c>i</c> is edit <c>i mod count</c>, its copy
/// <c>i div count</c> moved that many days later, so a long run spreads over days as a catch-up does.
/// </summary>
internal sealed class RealShapedEvents
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, int> NamespaceNumbers = new(StringComparer.Ordinal)
    {
        ["Main"] = 0, ["Talk"] = 1, ["User"] = 2, ["User talk"] = 3, ["Wikipedia"] = 4, ["Wikipedia talk"] = 5,
        ["File"] = 6, ["File talk"] = 7, ["MediaWiki"] = 8, ["Template"] = 10, ["Template talk"] = 11,
        ["Help"] = 12, ["Category"] = 14, ["Category talk"] = 15, ["Portal"] = 100, ["Draft"] = 118, ["Module"] = 828,
    };

    private readonly List<Edit> _edits;

    private RealShapedEvents(List<Edit> edits) => _edits = edits;

    public int DistinctEdits => _edits.Count;

    public static RealShapedEvents Load()
    {
        var edits = new List<Edit>();
        var samples = Path.Combine(RepositoryPaths.Data, "samples");
        using (var gzip = new GZipStream(File.OpenRead(Path.Combine(samples, "wikiticker-2015-09-12-sampled.json.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip))
        {
            while (reader.ReadLine() is { } line)
            {
                edits.Add(FromWikiticker(JsonDocument.Parse(line).RootElement));
            }
        }

        foreach (var line in File.ReadLines(Path.Combine(samples, "enwiki-2023-07-29.ndjson")))
        {
            edits.Add(FromRecentChange(JsonDocument.Parse(line).RootElement));
        }

        return new RealShapedEvents(edits);
    }

    /// <summary>Writes event <paramref name="index"/> as one line of JSON (no newline) and counts it into <paramref name="expected"/>.</summary>
    public void Write(IBufferWriter<byte> output, long index, ExpectedCounters? expected = null)
    {
        var edit = _edits[(int)(index % _edits.Count)];
        var copy = index / _edits.Count;
        var dt = DateTimeOffset.FromUnixTimeMilliseconds(edit.UnixMs).AddDays(copy);
        var domain = edit.Domain;
        var titleUrl = Uri.EscapeDataString(edit.Title.Replace(' ', '_'));
        var revision = 600_000_000 + index;

        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("$schema", "/mediawiki/recentchange/1.0.0");
        json.WriteStartObject("meta");
        json.WriteString("uri", $"https://{domain}/wiki/{titleUrl}");
        json.WriteString("request_id", Guid.NewGuid());
        json.WriteString("id", Guid.NewGuid());
        json.WriteString("dt", dt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        json.WriteString("domain", domain);
        json.WriteString("stream", "mediawiki.recentchange");
        json.WriteString("topic", "eqiad.mediawiki.recentchange");
        json.WriteNumber("partition", 0);
        json.WriteNumber("offset", 4_800_000_000 + index);
        json.WriteEndObject();
        json.WriteNumber("id", 1_600_000_000 + index);
        json.WriteString("type", edit.Type);
        json.WriteNumber("namespace", edit.Namespace);
        json.WriteString("title", edit.Title);
        json.WriteString("title_url", $"https://{domain}/wiki/{titleUrl}");
        json.WriteString("comment", edit.Comment);
        json.WriteNumber("timestamp", dt.ToUnixTimeSeconds());
        json.WriteString("user", edit.User);
        json.WriteBoolean("bot", edit.Bot);
        json.WriteString("notify_url", $"https://{domain}/w/index.php?diff={revision}&oldid={revision - 1}");
        json.WriteBoolean("minor", edit.Minor);
        json.WriteStartObject("length");
        if (edit.LengthOld is { } old)
        {
            json.WriteNumber("old", old);
        }

        json.WriteNumber("new", edit.LengthNew);
        json.WriteEndObject();
        json.WriteStartObject("revision");
        json.WriteNumber("old", revision - 1);
        json.WriteNumber("new", revision);
        json.WriteEndObject();
        json.WriteString("server_url", $"https://{domain}");
        json.WriteString("server_name", domain);
        json.WriteString("server_script_path", "/w");
        json.WriteString("wiki", edit.Wiki);
        json.WriteString("parsedcomment", edit.Comment);
        json.WriteEndObject();
        json.Flush();

        expected?.Count(UnixDay.Of(dt), edit.Wiki, edit.Bot, edit.LengthOld ?? 0, edit.LengthNew);
    }

    /// <summary>Event <paramref name="index"/> as a byte array.</summary>
    public byte[] Event(long index)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, index);
        return buffer.WrittenSpan.ToArray();
    }

    private static Edit FromWikiticker(JsonElement e)
    {
        // "#en.wikipedia" -> en.wikipedia.org, enwiki (the channels are all Wikipedias).
        var language = e.GetProperty("channel").GetString()!.TrimStart('#').Split('.')[0];
        var page = e.GetProperty("page").GetString() ?? "";
        var isNew = e.GetProperty("isNew").GetBoolean();
        var delta = e.GetProperty("delta").GetInt64();
        // Druid kept the size change only: an old length is made up from the page name, stable across copies.
        long? old = isNew ? null : 500 + ((uint)StringComparer.Ordinal.GetHashCode(page) % 40_000);
        var lengthNew = Math.Max(0, (old ?? 0) + delta);
        return new Edit(
            language + "wiki",
            language + ".wikipedia.org",
            isNew ? "new" : "edit",
            NamespaceNumbers.GetValueOrDefault(e.GetProperty("namespace").GetString() ?? "Main"),
            page,
            e.GetProperty("user").GetString() ?? "",
            e.GetProperty("comment").GetString() ?? "",
            e.GetProperty("isRobot").GetBoolean(),
            e.GetProperty("isMinor").GetBoolean(),
            old,
            lengthNew,
            DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
    }

    private static Edit FromRecentChange(JsonElement e)
    {
        var length = e.GetProperty("length");
        return new Edit(
            e.GetProperty("wiki").GetString()!,
            e.GetProperty("meta").GetProperty("domain").GetString()!,
            e.GetProperty("type").GetString()!,
            e.GetProperty("namespace").GetInt32(),
            e.GetProperty("title").GetString()!,
            e.GetProperty("user").GetString()!,
            e.GetProperty("comment").GetString() ?? "",
            e.GetProperty("bot").GetBoolean(),
            e.TryGetProperty("minor", out var minor) && minor.GetBoolean(),
            length.TryGetProperty("old", out var old) ? old.GetInt64() : null,
            length.TryGetProperty("new", out var lengthNew) ? lengthNew.GetInt64() : 0,
            DateTimeOffset.Parse(e.GetProperty("meta").GetProperty("dt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
    }

    private sealed record Edit(
        string Wiki, string Domain, string Type, int Namespace, string Title, string User, string Comment,
        bool Bot, bool Minor, long? LengthOld, long LengthNew, long UnixMs);
}
