namespace Pleiades.Replay;

/// <summary>
/// Where one time value sits in an event's JSON, so that a replay on <see cref="ReplayClock.Now"/> can write the
/// shifted time in its place: <c>meta.dt</c> and <c>rev_timestamp</c> (ISO-8601 strings) or <c>timestamp</c> (Unix
/// seconds). Sixteen bytes, as captures hold millions of events.
/// </summary>
/// <param name="UnixMs">The recorded time it holds.</param>
/// <param name="Start">First byte of the value (inside the quotes for a string).</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="IsUnixSeconds">A JSON number of seconds, else an ISO-8601 string.</param>
public readonly record struct ReplayTimeField(long UnixMs, int Start, ushort Length, bool IsUnixSeconds);
