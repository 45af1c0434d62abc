using System.Text.Json;

namespace Pleiades.Aggregator.Events;

/// <summary>
/// Reads one <c>recentchange</c> event (one line of the log, UTF-8 JSON) into a <see cref="RecentChange"/> with
/// <see cref="Utf8JsonReader"/>, in one pass and in any field order. Tolerates today's schema and the 2018 one
/// (<c>meta.schema_uri</c>, <c>+00:00</c> offsets), missing optional fields, nulls (read as missing, as the Go
/// original's <c>encoding/json</c> did) and unknown fields. An optional field of the wrong type is read as missing
/// too, and named in <see cref="IgnoredFields"/>: the event still counts by every rule it satisfies. Malformed input
/// is classified, never thrown: a well-formed event never raises an exception.
/// </summary>
/// <remarks>Not thread-safe: each consuming loop owns one (it pools wiki, type and user names).</remarks>
public sealed class RecentChangeParser
{
    /// <summary>Longest raw JSON text accepted for a wiki or type name (real ones are under 40 bytes).</summary>
    public const int MaxNameBytes = 256;

    /// <summary>Longest raw JSON text accepted for a title or user name: MediaWiki caps both at 255 UTF-8 bytes,
    /// which <c>\uXXXX</c> escapes can grow to about 1,530; anything far beyond is hostile.</summary>
    public const int MaxTextBytes = 4096;

    /// <summary>Latest instant accepted for an event, 9999-12-31T23:59:59Z; later ones are not a real edit's.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private readonly StringPool _names = new(capacity: 4096);
    private readonly StringPool _users = new(capacity: 65_536);

    /// <summary>The field that made the last frame malformed (for the log line), or null.</summary>
    public string? LastProblemField { get; private set; }

    /// <summary>The optional fields of the last frame that had the wrong type and were read as missing.</summary>
    public RecentChangeFields IgnoredFields { get; private set; }

    /// <summary>Parses <paramref name="utf8"/>; <paramref name="change"/> is meaningful only when the result is
    /// <see cref="RecentChangeParseStatus.Counted"/>.</summary>
    public RecentChangeParseStatus Parse(ReadOnlySpan<byte> utf8, out RecentChange change)
    {
        change = default;
        LastProblemField = null;
        IgnoredFields = RecentChangeFields.None;
        try
        {
            return ParseDocument(utf8, out change);
        }
        catch (JsonException)
        {
            return RecentChangeParseStatus.InvalidJson;
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader's string accessors throw this for invalid UTF-8 or a lone surrogate escape.
            return RecentChangeParseStatus.InvalidText;
        }
    }

    private RecentChangeParseStatus ParseDocument(ReadOnlySpan<byte> utf8, out RecentChange change)
    {
        change = default;
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read())
        {
            return RecentChangeParseStatus.InvalidJson;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Read the whole value so that "[1," is told apart from a well-formed array.
            reader.Skip();
            return reader.Read() ? RecentChangeParseStatus.InvalidJson : RecentChangeParseStatus.NotAnObject;
        }

        var fields = new Fields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var status = ReadTopLevelField(ref reader, ref fields);
            if (status != RecentChangeParseStatus.Counted)
            {
                return status;
            }
        }

        // Anything after the root object is not one event.
        if (reader.Read())
        {
            return RecentChangeParseStatus.InvalidJson;
        }

        if (fields.Canary)
        {
            return RecentChangeParseStatus.Canary;
        }

        var eventUnixMs = fields.DtUnixMs ?? fields.TimestampUnixMs;
        if (eventUnixMs is not { } when)
        {
            LastProblemField = "meta.dt";
            return RecentChangeParseStatus.NoTimestamp;
        }

        change = new RecentChange
        {
            EventUnixMs = when,
            Wiki = fields.Wiki,
            Type = fields.Type,
            Bot = fields.Bot,
            Minor = fields.Minor,
            HasLength = fields.HasLength,
            LengthOld = fields.LengthOld,
            LengthNew = fields.LengthNew,
            Namespace = fields.Namespace,
            Title = fields.Title,
            User = fields.User,
        };
        return RecentChangeParseStatus.Counted;
    }

    private RecentChangeParseStatus ReadTopLevelField(ref Utf8JsonReader reader, ref Fields fields)
    {
        var isMeta = reader.ValueTextEquals("meta"u8);
        if (isMeta || reader.ValueTextEquals("length"u8))
        {
            reader.Read();
            return reader.TokenType switch
            {
                JsonTokenType.Null => RecentChangeParseStatus.Counted,
                JsonTokenType.StartObject => isMeta ? ReadMeta(ref reader, ref fields) : ReadLength(ref reader, ref fields),
                _ => isMeta ? Ignore(ref reader, RecentChangeFields.Meta) : IgnoreLength(ref reader, ref fields),
            };
        }

        if (reader.ValueTextEquals("timestamp"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var seconds) && seconds is >= 0 and <= MaxUnixSeconds)
            {
                fields.TimestampUnixMs = seconds * 1000;
            }
            else
            {
                // An unusable timestamp is only fatal when meta.dt is unusable too; decided at the end.
                reader.Skip();
            }

            return RecentChangeParseStatus.Counted;
        }

        if (reader.ValueTextEquals("wiki"u8))
        {
            return ReadName(ref reader, RecentChangeFields.Wiki, _names, out fields.Wiki);
        }

        if (reader.ValueTextEquals("type"u8))
        {
            return ReadName(ref reader, RecentChangeFields.Type, _names, out fields.Type);
        }

        if (reader.ValueTextEquals("bot"u8))
        {
            return ReadBoolean(ref reader, RecentChangeFields.Bot, out fields.Bot);
        }

        if (reader.ValueTextEquals("minor"u8))
        {
            return ReadBoolean(ref reader, RecentChangeFields.Minor, out fields.Minor);
        }

        if (reader.ValueTextEquals("namespace"u8))
        {
            reader.Read();
            fields.Namespace = null;
            if (reader.TokenType == JsonTokenType.Null)
            {
                return RecentChangeParseStatus.Counted;
            }

            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var ns))
            {
                fields.Namespace = ns;
                return RecentChangeParseStatus.Counted;
            }

            return Ignore(ref reader, RecentChangeFields.Namespace);
        }

        if (reader.ValueTextEquals("title"u8))
        {
            return ReadName(ref reader, RecentChangeFields.Title, pool: null, out fields.Title);
        }

        if (reader.ValueTextEquals("user"u8))
        {
            return ReadName(ref reader, RecentChangeFields.User, _users, out fields.User);
        }

        reader.Read();
        reader.Skip();
        return RecentChangeParseStatus.Counted;
    }

    private static RecentChangeParseStatus ReadMeta(ref Utf8JsonReader reader, ref Fields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("dt"u8))
            {
                reader.Read();
                fields.DtUnixMs = reader.TokenType == JsonTokenType.String
                    && reader.TryGetDateTimeOffset(out var dt)
                    && dt.ToUnixTimeMilliseconds() >= 0
                        ? dt.ToUnixTimeMilliseconds()
                        : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("domain"u8))
            {
                reader.Read();
                fields.Canary = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("canary"u8);
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return RecentChangeParseStatus.Counted;
    }

    private RecentChangeParseStatus ReadLength(ref Utf8JsonReader reader, ref Fields fields)
    {
        fields.HasLength = true;
        fields.LengthOld = 0;
        fields.LengthNew = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOld = reader.ValueTextEquals("old"u8);
            var isNew = !isOld && reader.ValueTextEquals("new"u8);
            reader.Read();
            if (!isOld && !isNew)
            {
                reader.Skip();
                continue;
            }

            long value = 0;
            if (reader.TokenType != JsonTokenType.Null
                && !(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value)))
            {
                // Read as missing, which the contract counts as 0.
                Ignore(ref reader, isOld ? RecentChangeFields.LengthOld : RecentChangeFields.LengthNew);
            }

            if (isOld)
            {
                fields.LengthOld = value;
            }
            else
            {
                fields.LengthNew = value;
            }
        }

        return RecentChangeParseStatus.Counted;
    }

    private RecentChangeParseStatus ReadBoolean(ref Utf8JsonReader reader, RecentChangeFields field, out bool value)
    {
        reader.Read();
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null
            ? RecentChangeParseStatus.Counted
            : Ignore(ref reader, field);
    }

    private RecentChangeParseStatus ReadName(ref Utf8JsonReader reader, RecentChangeFields field, StringPool? pool, out string? value)
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return RecentChangeParseStatus.Counted;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return Ignore(ref reader, field);
        }

        var limit = ReferenceEquals(pool, _names) ? MaxNameBytes : MaxTextBytes;
        if (reader.ValueSpan.Length > limit)
        {
            LastProblemField = RecentChangeFieldNames.Of(field);
            return RecentChangeParseStatus.OversizedField;
        }

        if (pool is null)
        {
            value = reader.GetString();
            return RecentChangeParseStatus.Counted;
        }

        // Unescaped text is never longer, in UTF-16 units, than its raw UTF-8 JSON form.
        Span<char> buffer = stackalloc char[MaxTextBytes];
        var length = reader.CopyString(buffer);
        value = pool.Get(buffer[..length]);
        return RecentChangeParseStatus.Counted;
    }

    /// <summary>Skips a value of the wrong type for <paramref name="field"/>: the field reads as missing.</summary>
    private RecentChangeParseStatus Ignore(ref Utf8JsonReader reader, RecentChangeFields field)
    {
        IgnoredFields |= field;
        reader.Skip();
        return RecentChangeParseStatus.Counted;
    }

    /// <summary>A <c>length</c> that is not an object: no length at all, whatever an earlier <c>length</c> key said.</summary>
    private RecentChangeParseStatus IgnoreLength(ref Utf8JsonReader reader, ref Fields fields)
    {
        fields.HasLength = false;
        fields.LengthOld = 0;
        fields.LengthNew = 0;
        return Ignore(ref reader, RecentChangeFields.Length);
    }

    /// <summary>The fields as read so far; the event is built once the object is complete.</summary>
    private struct Fields
    {
        public long? DtUnixMs;
        public long? TimestampUnixMs;
        public bool Canary;
        public string? Wiki;
        public string? Type;
        public bool Bot;
        public bool Minor;
        public bool HasLength;
        public long LengthOld;
        public long LengthNew;
        public int? Namespace;
        public string? Title;
        public string? User;
    }
}
