namespace Pleiades.Replay;

/// <summary>One event of a capture, ready to serve.</summary>
/// <param name="Data">The event's JSON as captured (a slice of the loaded capture: one copy of it in memory, not two).</param>
/// <param name="TimeUnixMs">Its time (<c>meta.dt</c>, else <c>timestamp</c>), for <c>since</c> and timestamp ids; 0 when it has none.</param>
/// <param name="MetaIdStart">Where the 36-character <c>meta.id</c> value starts in <paramref name="Data"/>, or -1; copies replace it.</param>
/// <param name="TimeFields">Its time values in the order they appear in <paramref name="Data"/>, rewritten when the replay's clock is now.</param>
public sealed record ReplayEvent(ReadOnlyMemory<byte> Data, long TimeUnixMs, int MetaIdStart, ReplayTimeField[] TimeFields);
