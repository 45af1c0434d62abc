using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Pleiades.Ingest;

/// <summary>
/// The two fields of an event the Ingest looks at: <c>meta.id</c> (deduplication) and <c>meta.dt</c> (lag).
/// <c>meta</c> comes first in WMF events, so the reader stops long before the end of the document.
/// </summary>
/// <param name="MetaId"><c>meta.id</c> as a GUID (its hash when it is not one), null when missing.</param>
/// <param name="TimeUnixMs"><c>meta.dt</c> in ms since the epoch, 0 when missing or unparsable.</param>
/// <param name="IsJsonObject">False when the data is not a JSON object (relayed all the same, and counted).</param>
public readonly record struct EventMetadata(Guid? MetaId, long TimeUnixMs, bool IsJsonObject)
{
    public static EventMetadata Read(ReadOnlySpan<byte> data)
    {
        Guid? metaId = null;
        long time = 0;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new EventMetadata(null, 0, false);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("meta"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        metaId = Key(reader);
                    }
                    else if (reader.ValueTextEquals("dt"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        time = reader.TryGetDateTimeOffset(out var dt) ? dt.ToUnixTimeMilliseconds() : 0;
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                return new EventMetadata(metaId, time, true);
            }

            return new EventMetadata(metaId, time, true);
        }
        catch (JsonException)
        {
            return new EventMetadata(metaId, time, false);
        }
    }

    private static Guid Key(Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out Guid guid, out var consumed) && consumed == reader.ValueSpan.Length)
        {
            return guid;
        }

        // Not a GUID (never seen from WMF, but the key must not be lost): 128 bits of its hash.
        var text = reader.GetString() ?? "";
        return new Guid(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }
}
