namespace Pleiades.Benchmarks.EndToEnd;

/// <summary>
/// How long a stage took and how fast it went: <paramref name="Seconds"/> from its processes' start until every event
/// was through, the rate from the first event seen, and the rate over the second half of the events. The last is the
/// sustained rate of a long catch-up: a 1M-event stage lasts seconds, and the start-up and the JIT's tier-up of a fresh
/// process (a few seconds of CPU) weigh on its first half. <paramref name="CpuMicrosecondsPerEventSecondHalf"/> is the
/// stage's own services' CPU per event over that second half: their steady-state cost, which the rate (shared with the
/// replay server, the broker and whatever else runs on the 2 cores) shows only indirectly.
/// </summary>
internal sealed record StageTiming(double Seconds, double EventsPerSecondFromFirstEvent, double EventsPerSecondSecondHalf, double CpuMicrosecondsPerEventSecondHalf);
