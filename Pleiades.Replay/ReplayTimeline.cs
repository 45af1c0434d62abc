namespace Pleiades.Replay;

/// <summary>
/// The served timeline of a capture: its recorded span (one loop period), the scale that the pace puts on it, and,
/// on <see cref="ReplayClock.Now"/>, where the server placed it in the present. The placement is made once, at the
/// first stream request, so that the event a client resumes at is "now", and is kept for every later request: a
/// reconnecting client resumes on the same timeline, and after a gap catches up as it would on the live stream.
/// </summary>
public sealed class ReplayTimeline
{
    private readonly ReplayCapture _capture;
    private readonly TimeProvider _time;
    private readonly Lock _anchorLock = new();
    private long? _anchorUnixMs;

    public ReplayTimeline(ReplayCapture capture, TimeProvider time)
    {
        _capture = capture;
        _time = time;
        var times = capture.Events.Select(e => e.TimeUnixMs).Where(t => t != 0).ToList();
        OriginUnixMs = times.Count > 0 ? times.Min() : 0;
        var span = times.Count > 0 ? times.Max() - OriginUnixMs : 0;
        // One loop lasts the recorded span plus one mean gap between events, so that a copy follows the last event of
        // the one before as closely as its events follow each other.
        PeriodMs = Math.Max(1_000, span + (span / Math.Max(1, capture.Events.Count - 1)));
    }

    /// <summary>The capture's earliest recorded time (0 when no event has one).</summary>
    public long OriginUnixMs { get; }

    /// <summary>How long one copy of the capture lasts on the recorded timeline.</summary>
    public long PeriodMs { get; }

    public long NowUnixMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>1 at the recorded pace; with a rate, the factor that makes the capture's spacing average that rate.</summary>
    public double Scale(ReplayOptions options) =>
        options.Pace == ReplayPace.Recorded && options.Rate > 0 ? _capture.Events.Count * 1000.0 / options.Rate / PeriodMs : 1;

    /// <summary>
    /// The timeline a request resuming at <paramref name="next"/> is served on: on <see cref="ReplayClock.Now"/> the
    /// server's placement (made now when this is the first request), else one placed for this request alone, which
    /// times only its pace. <paramref name="isShifted"/> says whether event times are rewritten.
    /// </summary>
    public ReplayTimeShift For(ReplayOptions options, long next, out bool isShifted)
    {
        var scale = Scale(options);
        isShifted = options.Clock == ReplayClock.Now;
        var unplaced = new ReplayTimeShift(0, OriginUnixMs, PeriodMs, scale);
        var startHere = NowUnixMs - unplaced.Offset(RecordedTime(next), next / _capture.Events.Count);
        if (!isShifted)
        {
            return unplaced with { AnchorUnixMs = startHere };
        }

        lock (_anchorLock)
        {
            _anchorUnixMs ??= startHere;
            return unplaced with { AnchorUnixMs = _anchorUnixMs.Value };
        }
    }

    /// <summary>The served time (on <paramref name="timeline"/>) at which event <paramref name="index"/> is due.</summary>
    public long DueUnixMs(in ReplayTimeShift timeline, long index) =>
        timeline.Serve(RecordedTime(index), index / _capture.Events.Count);

    /// <summary>
    /// The first served event at or after <paramref name="unixMs"/>: on <see cref="ReplayClock.Now"/> on the server's
    /// timeline (placed now with the capture's start if no request placed it yet), else among the recorded times
    /// (every copy repeats them); <paramref name="total"/> when there is none.
    /// </summary>
    public long FirstAtOrAfter(ReplayOptions options, long unixMs, long total)
    {
        if (options.Clock != ReplayClock.Now)
        {
            return FirstInCopies(0, 1, total, index => RecordedTime(index) >= unixMs);
        }

        var timeline = For(options, 0, out _);
        var periods = (unixMs - timeline.AnchorUnixMs) / (timeline.PeriodMs * timeline.Scale);
        var copy = Math.Max(0, (long)Math.Floor(periods));
        // Events are nearly, not strictly, in time order: look through the copy the time falls in and the next.
        return FirstInCopies(copy, 2, total, index => DueUnixMs(timeline, index) >= unixMs);
    }

    private long FirstInCopies(long firstCopy, int copies, long total, Func<long, bool> isAtOrAfter)
    {
        var count = _capture.Events.Count;
        var start = firstCopy * count;
        for (var index = start; index < total && index < start + (copies * (long)count); index++)
        {
            if (isAtOrAfter(index))
            {
                return index;
            }
        }

        return total;
    }

    /// <summary>The recorded time of served event <paramref name="index"/>; an event without one is placed at the capture's start.</summary>
    private long RecordedTime(long index) =>
        _capture.Events[(int)(index % _capture.Events.Count)].TimeUnixMs is var time and not 0 ? time : OriginUnixMs;
}
