namespace Pleiades.Replay;

/// <summary>What the replay server serves and which faults it injects; bound from the <c>Replay</c> section (flags write into it).</summary>
public sealed class ReplayOptions
{
    public const string Section = "Replay";
    public const string DefaultListenUrl = "http://127.0.0.1:8092";

    /// <summary>Capture files, comma-separated: raw SSE (<c>.sse</c>) or JSON lines (<c>.ndjson</c>, <c>.jsonl</c>, <c>.json</c>; also gzipped).</summary>
    public string Capture { get; set; } = "";

    /// <summary>Serve the capture this many times over, every copy after the first with fresh <c>meta.id</c>s.</summary>
    public int Multiply { get; set; } = 1;

    /// <summary>Ids in EventStreams' form carry an <c>offset</c> (exact resume) or a <c>timestamp</c> (resume repeats events of the same millisecond).</summary>
    public ReplayIdStyle IdStyle { get; set; } = ReplayIdStyle.Offset;

    /// <summary>Refuse requests whose User-Agent is missing, generic or without contact details (403), as WMF does.</summary>
    public bool RequireUserAgent { get; set; } = true;

    /// <summary>Close each connection after this many events (0: never) ...</summary>
    public int DropEvery { get; set; }

    /// <summary>... by ending the response (as EventStreams' periodic resets do), or when true by resetting the TCP
    /// connection, which also throws away whatever the client had not read yet.</summary>
    public bool DropAbruptly { get; set; }

    /// <summary>Stop sending (without closing) after this many events of each connection (0: never) ...</summary>
    public int StallAfter { get; set; }

    /// <summary>... for this long.</summary>
    public TimeSpan StallFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Answer the first <see cref="FailCount"/> stream requests with this HTTP status (e.g. 429, 500, 403; 0: none).</summary>
    public int FailStatus { get; set; }

    public int FailCount { get; set; }

    /// <summary>Events per second per connection (0: as fast as the client reads).</summary>
    public double Rate { get; set; }

    /// <summary>
    /// How the events keep their spacing in time: <see cref="ReplayPace.Even"/> spaces them evenly at <see cref="Rate"/>
    /// (0: as fast as the client reads); <see cref="ReplayPace.Recorded"/> sends each when its recorded time comes, the
    /// capture's own spacing, stretched or squeezed to an average of <see cref="Rate"/> events per second when that is set.
    /// </summary>
    public ReplayPace Pace { get; set; } = ReplayPace.Even;

    /// <summary>
    /// The times written into events and ids: as recorded (an exact historic replay), or shifted so that the capture
    /// plays as if it were happening now, keeping its order and spacing (scaled with <see cref="Pace"/>).
    /// </summary>
    public ReplayClock Clock { get; set; } = ReplayClock.Recorded;

    /// <summary>Serve the capture again and again, without end, every copy after the first with fresh <c>meta.id</c>s (instead of <see cref="Multiply"/> times).</summary>
    public bool Loop { get; set; }

    /// <summary>After the last event: keep the connection open and silent, as the live stream between edits (default), or close it.</summary>
    public bool CloseAtEnd { get; set; }
}

/// <summary>How the replay server writes the per-partition entries of its SSE ids.</summary>
public enum ReplayIdStyle
{
    Offset,
    Timestamp,
}

/// <summary>How the replay spaces the events it sends (<see cref="ReplayOptions.Pace"/>).</summary>
public enum ReplayPace
{
    Even,
    Recorded,
}

/// <summary>Which times the replay writes into events and ids (<see cref="ReplayOptions.Clock"/>).</summary>
public enum ReplayClock
{
    Recorded,
    Now,
}
