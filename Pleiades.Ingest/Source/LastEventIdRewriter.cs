using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Pleiades.Ingest.Source;

/// <summary>
/// Makes an EventStreams id safe to resume from: an entry with <c>"offset": -1</c> means "latest" and would skip
/// whatever that datacentre's partition received while we were away (after a datacentre switch: everything), so it
/// is rewritten to a <c>timestamp</c>, which EventStreams accepts instead (data/README.md, "The live stream"). The time
/// is the newest <c>timestamp</c> among the other entries, else the last event's <c>meta.dt</c>. Anything that is
/// not an array of objects is sent unchanged.
/// </summary>
public static class LastEventIdRewriter
{
    public static string Rewrite(ReadOnlySpan<byte> id, long lastEventUnixMs)
    {
        try
        {
            using var document = JsonDocument.Parse(id.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || !root.EnumerateArray().Any(IsLatestOffset))
            {
                return Encoding.UTF8.GetString(id);
            }

            var timestamp = root.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number)
                .Select(e => e.GetProperty("timestamp").GetInt64())
                .DefaultIfEmpty(lastEventUnixMs)
                .Max();
            if (timestamp <= 0)
            {
                return Encoding.UTF8.GetString(id);
            }

            var buffer = new ArrayBufferWriter<byte>(id.Length + 16);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var entry in root.EnumerateArray())
                {
                    if (!IsLatestOffset(entry))
                    {
                        entry.WriteTo(writer);
                        continue;
                    }

                    writer.WriteStartObject();
                    foreach (var property in entry.EnumerateObject())
                    {
                        if (property.NameEquals("offset"u8))
                        {
                            writer.WriteNumber("timestamp"u8, timestamp);
                        }
                        else
                        {
                            property.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(id);
        }
    }

    private static bool IsLatestOffset(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object
        && entry.TryGetProperty("offset", out var offset)
        && offset.ValueKind == JsonValueKind.Number
        && offset.TryGetInt64(out var value) && value == -1;
}
