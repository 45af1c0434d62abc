namespace Pleiades.Replay;

/// <summary>
/// Maps a recorded time to the time a replay on <see cref="ReplayClock.Now"/> serves: the capture's start is placed at
/// <see cref="AnchorUnixMs"/>, copy <c>c</c> of a looped capture follows <c>c</c> periods later, and every distance
/// from the start is multiplied by <see cref="Scale"/> (1 at the recorded pace), so order and spacing are kept.
/// </summary>
public readonly record struct ReplayTimeShift(long AnchorUnixMs, long OriginUnixMs, long PeriodMs, double Scale)
{
    /// <summary>How far after the served capture's start a recorded time of copy <paramref name="copy"/> falls, in ms.</summary>
    public long Offset(long recordedUnixMs, long copy)
    {
        var recorded = recordedUnixMs - OriginUnixMs + (copy * PeriodMs);
        return Scale == 1 ? recorded : (long)(recorded * Scale);
    }

    /// <summary>The served time of <paramref name="recordedUnixMs"/> in copy <paramref name="copy"/>.</summary>
    public long Serve(long recordedUnixMs, long copy) => AnchorUnixMs + Offset(recordedUnixMs, copy);
}
